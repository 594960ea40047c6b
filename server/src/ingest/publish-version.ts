import type { Logger } from 'pino';
import type { Config } from '../config';
import type { InvalidPolicy, Layer } from '../layers/layer';
import type { LayerRepository } from '../layers/layer-repository';
import type { CopyWriter, Database } from '../platform/db/database';
import { AppError, InvalidParameterError, UnprocessableError } from '../platform/errors';
import { THINNED_TO_ZOOM, thinningFor } from '../tiles/thinning';
import type { TilePreparer } from '../tiles/tile-preparation';
import { planTileColumns } from '../tiles/tile-table';
import { commitVersion, type StagedVersion } from './commit-version';
import { FeatureChecker, UploadUnreadableError } from './feature-checker';
import { JsonSyntaxError } from './json-value-capture';
import { type FeatureBatches, type LoadProgress, loadFeatures } from './load-features';
import { crsLabel } from './source-crs';
import type { UploadRepository, UploadStatus } from './upload-repository';
import { problemPositionsToWgs84 } from './problem-positions';
import { describeFeature, ReportBuilder } from './validation-report';
import {
  VERSION_COLUMNS,
  createVersionTable,
  dropVersionTable,
  finaliseVersionTable,
  completeVersionTable,
  runBulk,
  versionIndexStatements,
  layerGeometryType,
  versionStats,
  versionTable,
  versionTableName,
  type VersionStats,
} from './version-table';

export interface IngestDeps {
  /** Called once a new version is serving, so cached layer lookups are dropped. */
  onPublished?: () => void;
  /** Builds a published version's tile table in the background. */
  tilePreparer?: Pick<TilePreparer, 'prepare'>;
  db: Database;
  layers: LayerRepository;
  uploads: UploadRepository;
  log: Logger;
  limits: Config['limits'];
}

export interface PublishRequest {
  layer: Layer;
  createdBy: string;
  /** Where this version came from, recorded on it (upload, harvest, …). */
  source: Record<string, unknown>;
  features: FeatureBatches;
  /** The CRS the caller declared; otherwise the data's own (crs member, coordinates) or CRS84. */
  crsParam?: number;
  policy: InvalidPolicy;
  charset: string;
  contentLength?: number;
  onStart?: (uploadId: number) => void;
  /** Take repeated feature ids as they come (dropping the repeats) rather than refusing the data: for harvests. */
  dropRepeatedIds?: boolean;
  /** Check and load only: the upload waits as `checked` until published (staged-uploads.ts) or discarded. */
  stage?: boolean;
  /** Asked once the data is loaded and checked: a reason not to publish keeps the serving version (e.g. a harvest found nothing changed). */
  beforePublish?: () => Promise<string | undefined>;
}

export type PublishResult =
  | ({ upload: number; unchanged: false; version: number; report: unknown } & VersionStats)
  | ({ upload: number; unchanged: false; checked: true; message: string; report: unknown } & VersionStats)
  | { upload: number; unchanged: true; message: string; report: unknown };

/**
 * Publishes features as the layer's next version: stream-check-load into a new table beside the
 * current one, let PostGIS finish it, then flip the layer's current version in one transaction.
 * Any failure drops the new table; the version being served is never touched.
 */
export async function publishVersion(deps: IngestDeps, req: PublishRequest): Promise<PublishResult> {
  const { db, layers, uploads, log, limits } = deps;
  const { crsParam, policy, charset, createdBy, source } = req;
  const uploadId = await uploads.start(req.layer.id, createdBy, req.contentLength ?? null, source);
  const table = versionTableName(uploadId);
  const report = new ReportBuilder();
  const checker = new FeatureChecker({ crsParam, policy, maxVertices: limits.verticesPerFeature, charset, report, dropRepeatedIds: req.dropRepeatedIds });
  let progress: LoadProgress = { bytesReceived: 0, featuresRead: 0 };
  const started = Date.now();
  let lastLog = started;
  log.info({ layer: req.layer.slug, uploadId, bytes: req.contentLength }, 'upload started');

  let writer: CopyWriter | undefined;
  try {
    await createVersionTable(db.knex, table);
    writer = db.copyInto(versionTable(table), VERSION_COLUMNS);
    req.onStart?.(uploadId);
    progress = await loadFeatures(req.features, checker, writer, {
      maxFeatures: limits.features,
      onProgress: async (p) => {
        await uploads.progress(uploadId, { phase: 'receiving', ...p });
        if (Date.now() - lastLog >= 5000) {
          lastLog = Date.now();
          const rate = Math.round(p.featuresRead / ((lastLog - started) / 1000));
          log.info({ layer: req.layer.slug, uploadId, ...p, featuresPerSecond: rate }, 'upload progress');
        }
      },
    });
    await writer.end();
    // Before any PostGIS work: a harvest that found nothing new keeps the serving version as it is.
    const keepServing = checker.publishable ? await req.beforePublish?.() : undefined;
    if (keepServing) {
      await dropVersionTable(db.knex, table);
      const report = { featuresRead: progress.featuresRead };
      await uploads.finish(uploadId, { status: 'unchanged', message: keepServing, report, ...progress });
      log.info({ layer: req.layer.slug, uploadId, reason: keepServing }, 'nothing new to publish');
      return { upload: uploadId, unchanged: true, message: keepServing, report };
    }
    if (checker.publishable && checker.loaded === 0) {
      report.add({ severity: 'error', code: 'no-features', message: 'The upload has no features; publish at least one, or delete the layer.' });
    }
    log.info({ layer: req.layer.slug, uploadId, ms: Date.now() - started }, 'upload received');
    await uploads.progress(uploadId, { phase: 'checking', ...progress });
    const srid = checker.srid ?? crsParam ?? 4326;
    // Before PostGIS adds its own problems (already in EPSG:4326): the checker's are in the source CRS.
    await problemPositionsToWgs84(db.knex, report.located(), srid);
    const ok =
      checker.publishable &&
      (await db.knex.transaction((trx) =>
        finaliseVersionTable(trx, table, {
          srid,
          policy,
          antimeridianFids: checker.antimeridianFids,
          makeValidStructure: db.capabilities.makeValidStructure,
          report,
          shape: shapeOf(checker, srid),
        }),
      ));
    const summary = () => ({
      featuresRead: progress.featuresRead,
      featuresLoaded: checker.publishable ? checker.loaded : 0,
      sourceCrs: crsLabel(srid),
      crsSource: checker.crsSource ?? 'default',
      invalidPolicy: policy,
      ...report.build(),
    });
    if (!ok) {
      const first = report.firstError();
      const total = report.errorCount;
      throw new UnprocessableError(
        `${total === 1 ? '1 problem stops' : `${total} problems stop`} this upload being published; the first: ${first ? `${describeFeature(first)}: ${first.message}` : 'unknown'} Nothing was changed.`,
        { report: summary(), upload: uploadId },
      );
    }
    log.info({ layer: req.layer.slug, uploadId, ms: Date.now() - started }, 'upload loaded and checked');
    await uploads.progress(uploadId, { phase: 'indexing', ...progress });
    const thinned = thinningFor(checker.loaded, checker.geometryTypes) !== null;
    const tileColumns = planTileColumns(checker.schema.build(), checker.schema.kinds(), checker.schema.categories());
    await runBulk(db, versionIndexStatements(table));
    await completeVersionTable(db, table);
    const stats = unchangedStats(checker, srid, report) ?? (await versionStats(db.knex, table));
    const finalReport = summary();
    const staged: StagedVersion = {
      table,
      ...stats,
      propertySchema: checker.schema.build(),
      sourceCrs: crsLabel(srid),
      source,
      report: finalReport,
      thinnedToZoom: thinned ? THINNED_TO_ZOOM : null,
      tileColumns,
    };
    if (req.stage) {
      const message = `Checked: ${stats.featureCount.toLocaleString('en-GB')} features ready to publish; nothing is served until it is published.`;
      await uploads.finish(uploadId, { status: 'checked', message, report: finalReport, staged, ...progress });
      log.info({ layer: req.layer.slug, uploadId, features: stats.featureCount, ms: Date.now() - started }, 'upload checked, waiting to be published');
      return { upload: uploadId, unchanged: false, checked: true, message, ...stats, report: finalReport };
    }
    const published = await commitVersion(deps, req.layer, staged, createdBy, (trx, versionId, version) =>
      uploads.finish(uploadId, { status: 'published', message: `Published as version ${version}.`, report: finalReport, versionId, ...progress }, trx),
    );
    log.info({ layer: req.layer.slug, uploadId, version: published.version, features: stats.featureCount, ms: Date.now() - started }, 'upload published');
    return { upload: uploadId, unchanged: false, version: published.version, ...stats, report: finalReport };
  } catch (err) {
    await writer?.abort(err as Error).catch(() => {});
    await dropVersionTable(db.knex, table).catch((e) => log.error({ err: e, table }, 'could not drop an unpublished version table'));
    const { status, error } = classify(err, progress);
    await uploads
      .finish(uploadId, { status, message: error.publicMessage, report: error.extra.report, ...progress })
      .catch((e) => log.error({ err: e, uploadId }, 'could not record the end of an upload'));
    if (status === 'failed') log.error({ err, layer: req.layer.slug, uploadId }, 'upload failed');
    else log.info({ layer: req.layer.slug, uploadId, status, reason: error.publicMessage }, 'upload not published');
    throw error;
  }
}

/**
 * What PostGIS must still look for. A line is invalid only when it has a single distinct point, which
 * the checker saw in the source CRS: with no reprojection or split to change that, lines need no
 * ST_IsValid scan. Ids a harvest took as they came are unique already.
 */
function shapeOf(checker: FeatureChecker, srid: number) {
  const types = [...checker.geometryTypes];
  const linesUnchanged = srid === 4326 && checker.antimeridianFids.length === 0 && !checker.hasCollapsedLines;
  return {
    lines: types.some((t) => t === 'GeometryCollection' || (t.includes('LineString') && !linesUnchanged)),
    polygons: types.some((t) => t.includes('Polygon') || t === 'GeometryCollection'),
    ids: checker.hasIds && !checker.idsUnique,
  };
}

/** Stats as the checker saw them, when PostGIS changed no geometry (no reprojection, split or repair). */
function unchangedStats(checker: FeatureChecker, srid: number, report: ReportBuilder): VersionStats | undefined {
  const built = report.build();
  if (srid !== 4326 || checker.antimeridianFids.length > 0 || built.byCode['invalid-geometry']) return undefined;
  const e = checker.extent;
  return {
    featureCount: checker.loaded,
    bbox: e.minX === Infinity ? null : [e.minX, e.minY, e.maxX, e.maxY],
    geometryType: layerGeometryType([...checker.geometryTypes].map((t) => t.toUpperCase())),
  };
}

/** Why an upload ended: the client went away, the input was refused, or something broke here. */
function classify(err: unknown, progress: LoadProgress): { status: Exclude<UploadStatus, 'running' | 'published' | 'unchanged'>; error: AppError } {
  if (err instanceof JsonSyntaxError) {
    return {
      status: 'rejected',
      error: new InvalidParameterError(`The upload is not valid GeoJSON at line ${err.line} (byte ${err.offset}): ${err.message}. Nothing was changed.`, {
        line: err.line,
        offset: err.offset,
      }),
    };
  }
  if (err instanceof UploadUnreadableError) return { status: 'rejected', error: new InvalidParameterError(`${err.message} Nothing was changed.`) };
  if (err instanceof AppError) return { status: err.status < 500 ? 'rejected' : 'failed', error: err };
  const code = (err as { code?: string }).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error).message === 'aborted') {
    return {
      status: 'aborted',
      error: new AppError(400, 'Upload interrupted', `The upload stopped after ${progress.bytesReceived} bytes; nothing was changed.`),
    };
  }
  return {
    status: 'failed',
    error: new AppError(500, 'Internal error', 'The upload failed on our side and nothing was changed; the error has been logged.', {}, { cause: err }),
  };
}
