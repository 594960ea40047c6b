import { describePrincipal, type Principal } from '../auth/principal';
import type { Knex } from 'knex';
import type { InvalidPolicy, Layer } from '../layers/layer';
import { InvalidParameterError } from '../platform/errors';
import { splitBody } from './load-features';
import { type IngestDeps, publishVersion } from './publish-version';
import { parseCrsName } from './source-crs';
import { uploadFormat } from './upload-format';

export interface UploadRequest {
  layer: Layer;
  principal: Principal;
  body: AsyncIterable<Buffer>;
  contentType?: string;
  contentLength?: number;
  query: { crs?: unknown; invalid?: unknown; format?: unknown; filename?: unknown };
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

/** Publishes a GeoJSON or NDJSON request body as the layer's next version (see publishVersion). */
export async function publishUpload(deps: IngestDeps, req: UploadRequest) {
  const { format, charset } = uploadFormat(req.contentType, req.query.format);
  return publishVersion(deps, {
    layer: req.layer,
    createdBy: describePrincipal(req.principal),
    source: {
      kind: 'upload',
      format,
      contentType: req.contentType ?? null,
      ...(typeof req.query.filename === 'string' ? { filename: req.query.filename.slice(0, 200) } : {}),
    },
    features: splitBody(req.body, { format, maxBytes: deps.limits.uploadBytes, maxFeatureBytes: deps.limits.featureBytes }),
    crsParam: await sourceSrid(deps.db.knex, req.query.crs),
    policy: invalidPolicy(req.query.invalid, req.layer),
    charset,
    contentLength: req.contentLength,
  });
}
