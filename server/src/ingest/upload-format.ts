import { InvalidParameterError, UnsupportedMediaTypeError } from '../platform/errors';

export type UploadFormat = 'geojson' | 'ndjson';

const GEOJSON_TYPES = new Set(['application/geo+json', 'application/json', 'application/vnd.geo+json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/geo+json-seq', 'application/jsonl', 'application/x-jsonlines']);

/** The upload's format and charset, from ?format= or the Content-Type. */
export function uploadFormat(contentType: string | undefined, formatParam: unknown): { format: UploadFormat; charset: string } {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim());
  const charsetParam = params.find((p) => p.toLowerCase().startsWith('charset='));
  const charset = charsetParam ? charsetParam.slice('charset='.length).replace(/"/g, '') : 'utf-8';
  try {
    new TextDecoder(charset);
  } catch {
    throw new UnsupportedMediaTypeError(`The charset "${charset}" is not one we can read; send UTF-8.`);
  }
  if (formatParam !== undefined) {
    if (formatParam === 'geojson' || formatParam === 'ndjson') return { format: formatParam, charset };
    throw new InvalidParameterError('format must be "geojson" (a FeatureCollection) or "ndjson" (one Feature per line).');
  }
  const type = mediaType.toLowerCase();
  if (GEOJSON_TYPES.has(type)) return { format: 'geojson', charset };
  if (NDJSON_TYPES.has(type)) return { format: 'ndjson', charset };
  throw new UnsupportedMediaTypeError(
    `Send a GeoJSON FeatureCollection as application/geo+json, or one Feature per line as application/x-ndjson${type ? ` (not ${type})` : ''}.`,
  );
}
