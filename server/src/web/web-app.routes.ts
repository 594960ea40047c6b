import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { AppError } from '../platform/errors';

/** Where `npm run build:web` (and `npm start`) writes the built viewer. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../../web/dist');

/**
 * The page's Content-Security-Policy: scripts and data only from here, so a hostile value that
 * slipped into the DOM could still not run or phone home. MapLibre starts its worker from a blob.
 * A configured basemap style may fetch from anywhere over https.
 */
export function contentSecurityPolicy(basemapStyleUrl: string | undefined, frameAncestors: string[] = []): string {
  const remote = basemapStyleUrl ? ' https:' : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    'worker-src blob:',
    "style-src 'self'",
    `img-src 'self' data: blob:${remote}`,
    `connect-src 'self'${remote}`,
    `font-src 'self'${remote}`,
    `frame-ancestors 'self'${frameAncestors.map((o) => ` ${o}`).join('')}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Vite puts a content hash in every name under assets/: those never change; the rest is revalidated. */
const cacheControl = (urlPath: string) => (urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');

/** The citizen map at /: the built web app, its settings, and caching fit for hashed assets. */
export function webAppRouter(deps: { basemapStyleUrl?: string; distDir?: string }): Router {
  const dist = deps.distDir ?? WEB_DIST;
  const router = Router();
  const csp = contentSecurityPolicy(deps.basemapStyleUrl);

  router.get('/viewer-config.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').json({ basemapStyleUrl: deps.basemapStyleUrl ?? null });
  });

  router.get('/', (_req, res, next) => {
    if (!existsSync(path.join(dist, 'index.html'))) {
      next(new AppError(503, 'Web app not built', 'The map is not built yet: run `npm run build:web` (npm start does it).'));
      return;
    }
    res.set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
    res.sendFile(path.join(dist, 'index.html'));
  });

  // The publisher portal: one page whose hash routes are drawn in the browser.
  router.get(['/publish', '/publish/'], (req, res, next) => {
    if (req.path === '/publish') return res.redirect(301, '/publish/');
    const page = path.join(dist, 'publish', 'index.html');
    if (!existsSync(page)) {
      next(new AppError(503, 'Web app not built', 'The portal is not built yet: run `npm run build:web` (npm start does it).'));
      return;
    }
    res.set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' });
    res.sendFile(page);
  });

  // The build writes a .gz beside each text asset; browsers that accept gzip get it as is.
  router.get(/^\/(assets|basemap)\/[\w.-]+$/, (req, res, next) => {
    const gz = path.join(dist, `${req.path}.gz`);
    if (!req.acceptsEncodings('gzip') || !existsSync(gz)) return next();
    res.set({ 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', 'Cache-Control': cacheControl(req.path) }).type(path.extname(req.path));
    res.sendFile(gz);
  });

  router.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', cacheControl(`/${path.relative(dist, file).split(path.sep).join('/')}`)),
    }),
  );
  return router;
}
