import { describePrincipal, type Principal } from '../auth/principal';
import type { Knex } from 'knex';
import type { InvalidPolicy, Layer } from '../layers/layer';
import { InvalidParameterError } from '../platform/errors';
import { readFileFormat } from './formats/read-file-format';
import { type FeatureBatches, splitBody } from './load-features';
import { type IngestDeps, publishVersion } from './publish-version';
import { parseCrsName } from './source-crs';
import { uploadFormat } from './upload-format';

export interface UploadRequest {
  layer: Layer;
  principal: Principal;
  body: AsyncIterable<Buffer>;
  contentType?: string;
  contentLength?: number;
  query: { crs?: unknown; invalid?: unknown; format?: unknown; filename?: unknown; layer?: unknown; stage?: unknown };
}

export async function sourceSrid(knex: Knex, crs: unknown): Promise<number | undefined> {
  if (crs === undefined || crs === '') return undefined;
  const srid = typeof crs === 'string' ? parseCrsName(crs) : undefined;
  const known = srid !== undefined && (await knex('spatial_ref_sys').where({ srid }).first('srid'));
  if (!known) throw new InvalidParameterError(`crs ${JSON.stringify(crs)} is not a CRS we know; use e.g. EPSG:27700 or EPSG:4326.`);
  return srid;
}

export function invalidPolicy(param: unknown, layer: Layer): InvalidPolicy {
  if (param === undefined) return layer.invalidPolicy;
  if (param === 'repair' || param === 'reject') return param;
  throw new InvalidParameterError('invalid must be "repair" (fix invalid geometries with ST_MakeValid) or "reject".');
}

/**
 * Publishes an upload as the layer's next version (see publishVersion): GeoJSON and NDJSON stream
 * through the splitters; Shapefile zips, GeoPackages, KML/KMZ, GPX and CSV are spooled and read
 * by formats/, whose features are GeoJSON in UTF-8 whatever the file's own encoding.
 */
export async function publishUpload(deps: IngestDeps, req: UploadRequest) {
  const { format, charset } = uploadFormat(req.contentType, req.query.format, req.query.filename);
  const crsParam = await sourceSrid(deps.db.knex, req.query.crs);
  const layer = layerParam(req.query.layer);
  const json = format === 'geojson' || format === 'ndjson';
  const features: FeatureBatches = json
    ? splitBody(req.body, { format, maxBytes: deps.limits.uploadBytes, maxFeatureBytes: deps.limits.featureBytes })
    : readFileFormat(format, req.body, {
        knex: deps.db.knex,
        maxBytes: deps.limits.uploadBytes,
        maxFeatureBytes: deps.limits.featureBytes,
        charset,
        layer,
        crsGiven: crsParam !== undefined,
      });
  return publishVersion(deps, {
    layer: req.layer,
    createdBy: describePrincipal(req.principal),
    source: {
      kind: 'upload',
      format,
      contentType: req.contentType ?? null,
      ...(typeof req.query.filename === 'string' ? { filename: req.query.filename.slice(0, 200) } : {}),
      ...(layer !== undefined ? { layer } : {}),
    },
    features,
    crsParam,
    policy: invalidPolicy(req.query.invalid, req.layer),
    charset: json ? charset : 'utf-8',
    contentLength: req.contentLength,
    stage: stageParam(req.query.stage),
  });
}

/** stage=true: check and load, publish later. */
function stageParam(param: unknown): boolean {
  if (param === undefined || param === 'false') return false;
  if (param === 'true') return true;
  throw new InvalidParameterError('stage must be "true" (check and load now, publish later) or "false".', { parameter: 'stage' });
}

function layerParam(param: unknown): string | undefined {
  if (param === undefined) return undefined;
  if (typeof param === 'string' && param.trim() !== '' && param.length <= 200) return param.trim();
  throw new InvalidParameterError('layer must name one table of a GeoPackage, or one shapefile in a zip.');
}
