import type { RequestHandler } from 'express';

/**
 * Public read APIs (OGC API, WFS, tiles) may be read by a map on any site: anonymous GETs only,
 * no credentials, so `*` is safe. Writes stay same-origin.
 */
export function publicReadCors(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Access-Control-Expose-Headers', 'ETag, Content-Crs, Link');
    }
    next();
  };
}
