import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import { InvalidParameterError } from '../errors';

export type Format = 'json' | 'html';

/** f=json|html wins; otherwise a browser's Accept: text/html gets HTML; everything else JSON. */
export function negotiateFormat(f: unknown, req: IncomingMessage): Format {
  if (f !== undefined) {
    if (f === 'json' || f === 'geojson') return 'json';
    if (f === 'html') return 'html';
    throw new InvalidParameterError(`f must be "json" or "html", not ${JSON.stringify(f)}.`);
  }
  // Most clients (GDAL, QGIS, fetch) send no Accept or */*: JSON without negotiating.
  const accept = req.headers.accept;
  if (accept === undefined || accept === '*/*') return 'json';
  const preferred = accepts(req).type(['application/json', 'application/geo+json', 'text/html']);
  return preferred === 'text/html' ? 'html' : 'json';
}

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  html: 'text/html; charset=utf-8',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  schema: 'application/schema+json',
} as const;
