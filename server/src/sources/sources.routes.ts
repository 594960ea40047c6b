import { Router } from 'express';
import { principalOf } from '../auth/authenticate';
import { describePrincipal, requirePublisher, requireReadAccess } from '../auth/principal';
import type { UploadRepository } from '../ingest/upload-repository';
import type { LayerService } from '../layers/layer-service';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import type { Harvest, SourceRepository } from './source-repository';
import type { SourceService } from './source-service';

interface SourcesRouterDeps {
  layerService: LayerService;
  sourceService: SourceService;
  sources: SourceRepository;
  uploads: UploadRepository;
}

const harvestHref = (slug: string, h: Harvest) => `/api/layers/${encodeURIComponent(slug)}/harvests/${h.id}`;

/**
 * Remote sources: inspect a service, point a layer at it, harvest now, follow a harvest, health.
 * Every route needs a publisher (token or signed-in user); a source belongs to its layer's organisation.
 */
export function sourcesRouter(deps: SourcesRouterDeps): Router {
  const router = Router();
  const { layerService, sourceService } = deps;

  // Inspecting fetches a URL from our server: not for anonymous callers.
  router.post('/api/sources/inspect', async (req, res) => {
    requirePublisher(principalOf(req));
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.json(await sourceService.inspect(body.url, body.kind));
  });

  router.put('/api/layers/:slug/source', async (req, res) => {
    const layer = await layerService.requireWritable(principalOf(req), req.params.slug);
    const existed = await deps.sources.get(layer.id);
    const { source, harvest, service } = await sourceService.register(layer, (req.body ?? {}) as Record<string, unknown>, describePrincipal(principalOf(req)));
    res
      .status(existed ? 200 : 201)
      .location(harvestHref(layer.slug, harvest))
      .json({ layer: layer.slug, source, service: { kind: service.kind, title: service.title, version: service.version }, harvest: { ...harvest, href: harvestHref(layer.slug, harvest) } });
  });

  router.get('/api/layers/:slug/source', async (req, res) => {
    const layer = await layerService.requireReadable(principalOf(req), req.params.slug);
    res.json(await sourceService.requireSource(layer));
  });

  router.delete('/api/layers/:slug/source', async (req, res) => {
    const layer = await layerService.requireWritable(principalOf(req), req.params.slug);
    if (!(await deps.sources.remove(layer.id))) throw new NotFoundError(`Layer "${layer.slug}" has no remote source.`);
    res.status(204).end();
  });

  router.post('/api/layers/:slug/harvest', async (req, res) => {
    const layer = await layerService.requireWritable(principalOf(req), req.params.slug);
    await sourceService.requireSource(layer);
    const harvest = await sourceService.requestHarvest(layer.id, 'manual');
    res.status(202).location(harvestHref(layer.slug, harvest)).json({ ...harvest, href: harvestHref(layer.slug, harvest) });
  });

  router.get('/api/layers/:slug/harvests', async (req, res) => {
    const layer = await layerService.requireReadable(principalOf(req), req.params.slug);
    res.json({ layer: layer.slug, harvests: await deps.sources.history(layer.id, 50) });
  });

  // What a progress display polls: the harvest, and the load it feeds (bytes, features, phase).
  router.get('/api/layers/:slug/harvests/:id', async (req, res) => {
    const layer = await layerService.requireReadable(principalOf(req), req.params.slug);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new InvalidParameterError('The harvest id must be a number.');
    const harvest = await deps.sources.getHarvest(layer.id, id);
    if (!harvest) throw new NotFoundError(`Layer "${layer.slug}" has no harvest ${id}.`);
    const upload = harvest.uploadId ? await deps.uploads.get(layer.id, harvest.uploadId) : undefined;
    res.json({ ...harvest, load: upload ? { phase: upload.phase, bytesReceived: upload.bytesReceived, featuresRead: upload.featuresRead, report: upload.report } : null });
  });

  // The portal's layer list: every source of one organisation with its status, in one request.
  router.get('/api/organisations/:id/sources', async (req, res) => {
    requireReadAccess(principalOf(req), req.params.id);
    res.json({ organisation: req.params.id, sources: await sourceService.organisationHealth(req.params.id) });
  });

  router.get('/api/layers/:slug/health', async (req, res) => {
    const layer = await layerService.requireReadable(principalOf(req), req.params.slug);
    res.json(await sourceService.health(layer));
  });

  return router;
}
