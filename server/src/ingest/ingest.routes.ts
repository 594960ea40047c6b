import { Router } from 'express';
import { principalOf } from '../auth/authenticate';
import type { LayerService } from '../layers/layer-service';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import { checkedUploads } from './checked-uploads';
import { publishUpload } from './publish-upload';
import type { IngestDeps } from './publish-version';

/**
 * PUT /api/layers/:slug/data publishes a new version (or, with stage=true, checks and loads it to be
 * published or discarded later); /uploads lets a progress bar follow it.
 */
export function ingestRouter(deps: IngestDeps & { layerService: LayerService }): Router {
  const router = Router();
  const checked = checkedUploads(deps);

  router.put('/api/layers/:slug/data', async (req, res) => {
    const layer = await deps.layerService.requireWritable(principalOf(req), req.params.slug);
    const length = req.headers['content-length'];
    const result = await publishUpload(deps, {
      layer,
      principal: principalOf(req),
      body: req,
      contentType: req.headers['content-type'],
      contentLength: length === undefined ? undefined : Number(length),
      query: req.query as Record<string, unknown>,
    });
    if ('checked' in result) {
      await checked.replaceOlder(layer.id, result.upload);
      const href = `/api/layers/${layer.slug}/uploads/${result.upload}`;
      res.status(200).location(href).json({ layer: layer.slug, status: 'checked', ...result, links: { self: href, publish: `${href}/publish` } });
      return;
    }
    res.status(201).location(`/api/layers/${layer.slug}/versions`).json({ layer: layer.slug, ...result });
  });

  // A checked upload: published as the next version, or discarded.
  router.post('/api/layers/:slug/uploads/:id/publish', async (req, res) => {
    const layer = await deps.layerService.requireWritable(principalOf(req), req.params.slug);
    const result = await checked.publish(principalOf(req), layer, req.params.id);
    res.status(201).location(`/api/layers/${layer.slug}/versions`).json({ layer: layer.slug, ...result });
  });
  router.delete('/api/layers/:slug/uploads/:id', async (req, res) => {
    const layer = await deps.layerService.requireWritable(principalOf(req), req.params.slug);
    await checked.discard(layer, req.params.id);
    res.status(204).end();
  });

  router.get('/api/layers/:slug/uploads', async (req, res) => {
    const layer = await deps.layerService.requireReadable(principalOf(req), req.params.slug);
    res.json({ layer: layer.slug, uploads: await deps.uploads.list(layer.id) });
  });

  router.get('/api/layers/:slug/uploads/:id', async (req, res) => {
    const layer = await deps.layerService.requireReadable(principalOf(req), req.params.slug);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new InvalidParameterError('The upload id must be a number.');
    const upload = await deps.uploads.get(layer.id, id);
    if (!upload) throw new NotFoundError(`Layer "${layer.slug}" has no upload ${id}.`);
    res.json(upload);
  });

  return router;
}
