import { createHash } from 'node:crypto';
import type { RawFeature } from '../ingest/feature-collection-splitter';
import type { FeatureBatches } from '../ingest/load-features';
import { type IngestDeps, publishVersion } from '../ingest/publish-version';
import { crsLabel } from '../ingest/source-crs';
import { AppError } from '../platform/errors';
import { FetchRefusedError, type Fetcher } from './safe-fetch';
import { type PageOrder, SourceResponseError, type RemoteSource, type SourceKind } from './remote-source';
import type { Harvest, SourceRepository } from './source-repository';

export interface HarvestLimits {
  /** Features asked for per request. */
  pageSize: number;
  /** Most bytes one harvest may read, over all its pages. */
  maxBytes: number;
}

export interface HarvestDeps extends IngestDeps {
  sources: SourceRepository;
  fetcher: Fetcher;
  sourceKinds: Record<SourceKind, RemoteSource>;
  harvestLimits: HarvestLimits;
}

class HarvestTooLargeError extends Error {}

/**
 * Runs one queued harvest: pages from the remote service → the same check → COPY → publish path
 * as an upload. Nothing is published when the content is byte-for-byte what the last harvest saw,
 * or when the service says "not modified"; a failure leaves the serving version as it was and
 * records why, in words, for the source's health.
 */
export async function runHarvest(deps: HarvestDeps, harvestId: number, worker: string): Promise<Harvest | undefined> {
  const { sources, log } = deps;
  if (!(await sources.startHarvest(harvestId, worker))) return sources.harvestById(harvestId);
  const harvest = (await sources.harvestById(harvestId))!;
  const source = await sources.get(harvest.layerId);
  const row = await deps.db.knex('layers').where({ id: harvest.layerId }).first('slug');
  const layer = row ? await deps.layers.get(row.slug as string) : undefined;
  if (!source || !layer) {
    await sources.finishHarvest(harvestId, { status: 'skipped', message: 'The layer or its source was removed before the harvest ran.' });
    return sources.harvestById(harvestId);
  }
  const remote = deps.sourceKinds[source.kind];
  const hash = createHash('sha256');
  const seen: { etag?: string; lastModified?: string } = {};
  let contentHash = source.contentHash;
  let notModified = false;
  let pages = 0;
  let features = 0;
  let bytes = 0;
  let srid: number | undefined;
  let order: PageOrder | undefined;
  let lastProgress = 0;
  const started = Date.now();
  log.info({ layer: layer.slug, harvestId, kind: source.kind, url: source.url }, 'harvest started');

  const batches: FeatureBatches = async function* (checker, progress) {
    const pageStream = remote.pages({ url: source.url, featureType: source.featureType ?? undefined }, deps.fetcher, {
      pageSize: deps.harvestLimits.pageSize,
      validators: { etag: source.etag ?? undefined, lastModified: source.lastModified ?? undefined },
      onValidators: (v) => Object.assign(seen, v),
      onNotModified: () => (notModified = true),
      onPaging: (how) => (order = how),
    });
    for await (const page of pageStream) {
      pages++;
      bytes += page.bytes;
      progress.bytesReceived = bytes;
      if (bytes > deps.harvestLimits.maxBytes) throw new HarvestTooLargeError(`The service sent more than ${deps.harvestLimits.maxBytes} bytes, the most one harvest may read.`);
      if (pages === 1) {
        srid = page.srid;
        if (srid !== undefined) checker.declareFileCrs(srid, 'the service');
      } else if (page.srid !== srid) {
        throw new SourceResponseError(`The service sent page ${pages} in ${page.srid ? crsLabel(page.srid) : 'an unstated CRS'} after earlier pages in ${srid ? crsLabel(srid) : 'an unstated CRS'}.`);
      }
      // The content hash sees each feature's bytes, or the service's own text of parsed ones (else their JSON).
      const parsedRaws = (batch: unknown[]): RawFeature[] =>
        batch.map((parsed) => {
          if (page.contentKey === undefined) hash.update(JSON.stringify(parsed)).update('\n');
          return { index: features++, parsed };
        });
      const raws: RawFeature[] = page.raw
        ? page.raw.map((bytes) => {
            hash.update(bytes).update('\n');
            return { index: features++, bytes };
          })
        : parsedRaws(page.features ?? []);
      if (page.contentKey !== undefined) hash.update(page.contentKey).update('\n');
      if (Date.now() - lastProgress > 1000) {
        lastProgress = Date.now();
        await sources.harvestProgress(harvestId, { pages, features, bytes });
      }
      yield raws;
      for (const batch of page.moreFeatures ?? []) yield parsedRaws(batch);
    }
    overlappingPages(order, pages, checker.repeatedIdCount);
    hash.update(`srid:${srid}`);
  };

  try {
    const result = await publishVersion(deps, {
      layer,
      createdBy: `harvest of ${source.kind} ${source.url}`.slice(0, 200),
      source: { kind: 'harvest', sourceKind: source.kind, url: source.url, featureType: source.featureType, harvest: harvestId },
      features: batches,
      policy: layer.invalidPolicy,
      charset: 'utf-8',
      // A service's ids need not be unique (MapServer builds some from an attribute): repeats lose their id, and the report says so.
      dropRepeatedIds: true,
      onStart: (uploadId) => void sources.harvestProgress(harvestId, { uploadId }),
      beforePublish: async () => {
        await sources.harvestProgress(harvestId, { phase: 'publishing', pages, features, bytes });
        if (notModified && features === 0) return 'The service said nothing has changed since the last harvest.';
        contentHash = hash.digest('hex');
        if (contentHash === source.contentHash && layer.currentVersion) return 'The service sent exactly the same features as the last harvest.';
        return undefined;
      },
    });
    await sources.succeeded(source.layerId, { etag: seen.etag ?? null, lastModified: seen.lastModified ?? null, contentHash });
    await sources.harvestProgress(harvestId, { pages, features, bytes });
    if (result.unchanged) {
      await sources.finishHarvest(harvestId, { status: 'unchanged', message: result.message, versionId: layer.currentVersion?.id ?? null });
    } else if (!('checked' in result)) {
      await sources.finishHarvest(harvestId, { status: 'published', message: `Published ${result.featureCount} features as version ${result.version}.`, versionId: (await deps.layers.findVersion(layer.id, result.version))?.id });
    }
    log.info({ layer: layer.slug, harvestId, pages, features, bytes, ms: Date.now() - started, unchanged: result.unchanged }, 'harvest finished');
  } catch (err) {
    const message = inWords(err, source.url, layer.currentVersion !== null);
    await sources.harvestProgress(harvestId, { pages, features, bytes });
    await sources.failed(source.layerId, message);
    await sources.finishHarvest(harvestId, { status: 'failed', message });
    log.warn({ layer: layer.slug, harvestId, err: err instanceof AppError || err instanceof FetchRefusedError ? undefined : err, reason: message }, 'harvest failed; the last good version still serves');
  }
  return sources.harvestById(harvestId);
}

/**
 * Unsorted pages that repeat ids overlapped: the server does not keep one order from request to
 * request, so for each feature it sent twice it probably never sent another. Sorted pages cannot
 * overlap, so ids repeated there are the service's own, and only lose their id (the report says so).
 */
function overlappingPages(order: PageOrder | undefined, pages: number, repeated: number): void {
  if (!order || !('unsortedBecause' in order) || pages < 2 || repeated === 0) return;
  const features = repeated === 1 ? '1 feature' : `${repeated} features`;
  throw new SourceResponseError(
    `The service sent ${features} again on a later page, with an id it had already sent: its pages overlap, so about as many others were never sent. ` +
      `It does not keep one order from request to request, and Haenau cannot ask it to sort: ${order.unsortedBecause}. Haenau will not publish a copy with gaps.`,
  );
}

/** Why a harvest failed, for the publisher: what went wrong and that nothing changed. */
function inWords(caught: unknown, url: string, published: boolean): string {
  // publishVersion wraps what it did not expect; the source's own errors are in words already.
  const cause = caught instanceof AppError ? (caught as Error).cause : undefined;
  const err = cause instanceof FetchRefusedError || cause instanceof SourceResponseError || cause instanceof HarvestTooLargeError ? cause : caught;
  const kept = published ? 'The last good version is still being served.' : 'Nothing has been published yet.';
  if (err instanceof FetchRefusedError || err instanceof SourceResponseError || err instanceof HarvestTooLargeError) return `${err.message} ${kept}`;
  if (err instanceof AppError) return `The harvested data could not be published: ${err.publicMessage} ${kept}`;
  return `The harvest of ${url} failed on our side (${(err as Error).message ?? String(err)}). ${kept}`;
}
