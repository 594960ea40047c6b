import { InvalidParameterError, UnsupportedMediaTypeError } from '../platform/errors';

export const UPLOAD_FORMATS = ['geojson', 'ndjson', 'shapefile', 'gpkg', 'kml', 'kmz', 'gpx', 'csv'] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

const GEOJSON_TYPES = new Set(['application/geo+json', 'application/json', 'application/vnd.geo+json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/geo+json-seq', 'application/jsonl', 'application/x-jsonlines']);

const MEDIA_TYPES: Record<string, UploadFormat> = {
  'application/zip': 'shapefile',
  'application/x-zip-compressed': 'shapefile',
  'application/geopackage+sqlite3': 'gpkg',
  'application/vnd.google-earth.kml+xml': 'kml',
  'application/vnd.google-earth.kmz': 'kmz',
  'application/gpx+xml': 'gpx',
  'text/csv': 'csv',
};

const EXTENSIONS: Record<string, UploadFormat> = {
  geojson: 'geojson',
  json: 'geojson',
  ndjson: 'ndjson',
  geojsonl: 'ndjson',
  geojsons: 'ndjson',
  jsonl: 'ndjson',
  zip: 'shapefile',
  gpkg: 'gpkg',
  kml: 'kml',
  kmz: 'kmz',
  gpx: 'gpx',
  csv: 'csv',
};

/** Types that say nothing about the content, so the file name's extension decides. */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

const OTHER_FORMATS =
  'a zipped Shapefile (application/zip), a GeoPackage (application/geopackage+sqlite3), KML (application/vnd.google-earth.kml+xml), ' +
  'KMZ (application/vnd.google-earth.kmz), GPX (application/gpx+xml) or CSV with coordinate columns (text/csv)';

/** The upload's format and charset, from ?format=, the Content-Type, or the ?filename= extension. */
export function uploadFormat(contentType: string | undefined, formatParam: unknown, filename?: unknown): { format: UploadFormat; charset: string } {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim());
  const charsetParam = params.find((p) => p.toLowerCase().startsWith('charset='));
  const charset = charsetParam ? charsetParam.slice('charset='.length).replace(/"/g, '') : 'utf-8';
  try {
    new TextDecoder(charset);
  } catch {
    throw new UnsupportedMediaTypeError(`The charset "${charset}" is not one we can read; send UTF-8.`);
  }
  if (formatParam !== undefined) {
    if ((UPLOAD_FORMATS as readonly unknown[]).includes(formatParam)) return { format: formatParam as UploadFormat, charset };
    throw new InvalidParameterError(
      'format must be "geojson" (a FeatureCollection) or "ndjson" (one Feature per line), or one of "shapefile" (zipped), "gpkg", "kml", "kmz", "gpx", "csv".',
    );
  }
  const type = mediaType.toLowerCase();
  if (GEOJSON_TYPES.has(type)) return { format: 'geojson', charset };
  if (NDJSON_TYPES.has(type)) return { format: 'ndjson', charset };
  const byType = MEDIA_TYPES[type];
  if (byType) return { format: byType, charset };
  const extension = typeof filename === 'string' ? /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() : undefined;
  const byExtension = extension === undefined ? undefined : EXTENSIONS[extension];
  if (UNTYPED.has(type) && byExtension) return { format: byExtension, charset };
  throw new UnsupportedMediaTypeError(
    `Send a GeoJSON FeatureCollection as application/geo+json, or one Feature per line as application/x-ndjson${type ? ` (not ${type})` : ''}. ` +
      `We also read ${OTHER_FORMATS}; or send ?format= with one of ${UPLOAD_FORMATS.join(', ')}.`,
  );
}
