import type { RequestHandler } from 'express';

/**
 * Public read APIs (OGC API, WFS, tiles) may be read by a map on any site: anonymous GETs only,
 * no credentials, so `*` is safe. Writes stay same-origin.
 */
export const PUBLIC_READ_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Content-Crs, Link',
};

export function publicReadCors(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.set(PUBLIC_READ_HEADERS);
    next();
  };
}
