import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { principalOf } from '../auth/authenticate';
import { parseBody } from '../platform/http/parse-body';
import { createLayerSchema, layerToJson, updateLayerSchema, versionToJson } from './layer';
import type { LayerRepository } from './layer-repository';
import type { LayerService } from './layer-service';
import { versionChanges } from './version-changes';

const rollbackInput = z.object({ version: z.number().int().positive() }).strict();

/** Writes to layer metadata, and the version list with rollback. Reads are in catalogue/. */
export function layersRouter(deps: { layerService: LayerService; layers: LayerRepository; knex: Knex }): Router {
  const router = Router();
  const { layerService } = deps;

  router.post('/api/layers', async (req, res) => {
    const layer = await layerService.create(principalOf(req), parseBody(createLayerSchema, req.body));
    res.status(201).location(`/api/layers/${layer.slug}`).json(layerToJson(layer));
  });

  router.patch('/api/layers/:slug', async (req, res) => {
    const layer = await layerService.update(principalOf(req), req.params.slug, parseBody(updateLayerSchema, req.body));
    res.json(layerToJson(layer));
  });

  router.delete('/api/layers/:slug', async (req, res) => {
    await layerService.remove(principalOf(req), req.params.slug);
    res.status(204).end();
  });

  router.get('/api/layers/:slug/versions', async (req, res) => {
    const layer = await layerService.requireLayer(req.params.slug);
    const versions = await deps.layers.versions(layer.id);
    res.json({ layer: layer.slug, versions: versions.map((v) => versionToJson(v, layer.currentVersion?.id)) });
  });

  // What a version changed against the one before it (added, removed, changed features).
  router.get('/api/layers/:slug/versions/:version/changes', async (req, res) => {
    const layer = await layerService.requireLayer(req.params.slug);
    const version = await layerService.requireVersion(layer, req.params.version);
    const previous = version.version > 1 ? await deps.layers.findVersion(layer.id, version.version - 1) : undefined;
    res.json({ layer: layer.slug, version: version.version, ...(await versionChanges(deps.knex, version, previous)) });
  });

  router.post('/api/layers/:slug/rollback', async (req, res) => {
    const { version } = parseBody(rollbackInput, req.body);
    const layer = await layerService.rollback(principalOf(req), req.params.slug, version);
    res.json(layerToJson(layer));
  });

  return router;
}
