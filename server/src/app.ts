import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { authenticate } from './auth/authenticate';
import { requireCsrfToken } from './auth/csrf';
import { organisationsRouter } from './auth/organisations.routes';
import { sessionsRouter } from './auth/sessions.routes';
import { usersRouter } from './auth/users.routes';
import { catalogueRouter } from './catalogue/catalogue.routes';
import type { AppDeps } from './deps';
import { ingestRouter } from './ingest/ingest.routes';
import { consultationPagesRouter } from './consultations/consultation-pages.routes';
import { consultationsRouter } from './consultations/consultations.routes';
import { layersRouter } from './layers/layers.routes';
import { ogcApiFeatureRoutes, ogcApiFeaturesRouter } from './ogcapi-features/ogcapi-features.routes';
import { wfsRouter } from './wfs/wfs.routes';
import { downloadsRouter } from './downloads/downloads.routes';
import { publicReadCors } from './platform/http/cors';
import { notFoundHandler, problemHandler } from './platform/http/problem';
import { readRoutes } from './platform/http/read-routes';
import { tileReadRoutes, tilesRouter } from './tiles/tiles.routes';
import { versionPreviewRouter } from './tiles/version-preview.routes';
import { webAppRouter } from './web/web-app.routes';
import { nearRouter } from './near/near.routes';
import { sourcesRouter } from './sources/sources.routes';

/** The request listener: the read routes first, then the Express app (kept as `express` for route listings). */
export type App = RequestListener & { express: Express };

/** The HTTP application over its dependencies; no listen, so tests drive it with supertest. */
export function createApp(deps: AppDeps): App {
  const app = expressApp(deps);
  const reads = readRoutes(
    [
      ...tileReadRoutes({ published: deps.published, tiles: deps.tiles }),
      ...ogcApiFeatureRoutes({ published: deps.published, featureStore: deps.featureStore, limits: deps.config.items }),
    ],
    deps.log,
  );
  const listener: RequestListener = (req, res) => reads(req, res, () => app(req, res));
  return Object.assign(listener, { express: app });
}

function expressApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  // Express would hash every response body for an ETag; feature pages are big and rarely repeated.
  // Endpoints that benefit (tiles, versioned resources) set their own ETag from the layer version.
  app.set('etag', false);

  app.get('/healthz', async (_req, res) => {
    await deps.db.knex.raw('SELECT 1');
    res.json({ status: 'ok', database: deps.db.kind, postgis: deps.db.capabilities.postgisVersion, mvt: deps.db.capabilities.mvt });
  });

  app.use(['/ogc', '/wfs'], publicReadCors());
  // Tiles, features and WFS are anonymous reads of published layers and the most frequent requests:
  // routed before anything else, so they never pay for the static-file lookup or the session.
  app.use(tilesRouter({ published: deps.published, tiles: deps.tiles }));
  app.use(ogcApiFeaturesRouter({ published: deps.published, featureStore: deps.featureStore, limits: deps.config.items }));
  app.use(wfsRouter({ published: deps.published, featureStore: deps.featureStore, maxCount: deps.config.items.maxLimit, log: deps.log }));
  // The built pages and their assets are the same for everyone: served before any session is looked up.
  app.use(webAppRouter({ basemapStyleUrl: deps.config.basemapStyleUrl }));
  app.use(consultationPagesRouter({ consultations: deps.consultations, basemapStyleUrl: deps.config.basemapStyleUrl }));

  app.use(authenticate({ organisations: deps.organisations, sessions: deps.sessions, adminToken: deps.config.adminToken }));
  // Before any route that writes: a cookie-authenticated write without the session's CSRF token is refused here.
  app.use(requireCsrfToken());
  // Uploads stream their own body, so they come before the JSON body parser; everything after is small JSON.
  app.use(ingestRouter({ ...deps, limits: deps.config.limits, onPublished: deps.published.invalidate }));
  app.use(express.json({ limit: deps.config.limits.jsonBytes, type: ['application/json', 'application/*+json'] }));

  app.use(sessionsRouter({ ...deps, sessionLifetime: deps.config.accounts.session }));
  app.use(organisationsRouter(deps));
  app.use(usersRouter(deps));
  app.use(layersRouter({ ...deps, knex: deps.db.knex }));
  app.use(versionPreviewRouter(deps));
  app.use(consultationsRouter(deps));
  app.use(sourcesRouter(deps));
  app.use(downloadsRouter(deps));
  app.use(catalogueRouter(deps));
  app.use(nearRouter(deps));

  app.use(notFoundHandler());
  app.use(problemHandler(deps.log));
  return app;
}
