import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { principalOf } from '../auth/authenticate';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
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
    const number = Number(req.params.version);
    if (!Number.isInteger(number) || number < 1) throw new InvalidParameterError('The version must be a whole number from 1.');
    const version = await deps.layers.findVersion(layer.id, number);
    if (!version) throw new NotFoundError(`Layer "${layer.slug}" has no version ${number}.`);
    const previous = number > 1 ? await deps.layers.findVersion(layer.id, number - 1) : undefined;
    res.json({ layer: layer.slug, version: number, ...(await versionChanges(deps.knex, version, previous)) });
  });

  router.post('/api/layers/:slug/rollback', async (req, res) => {
    const { version } = parseBody(rollbackInput, req.body);
    const layer = await layerService.rollback(principalOf(req), req.params.slug, version);
    res.json(layerToJson(layer));
  });

  return router;
}
