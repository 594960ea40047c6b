import { Router } from 'express';
import { principalOf } from '../auth/authenticate';
import type { LayerRepository } from '../layers/layer-repository';
import type { LayerService } from '../layers/layer-service';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import { abortSignalOf } from '../platform/http/request-signal';
import { parseTileAddress, TILE_MATRIX_SET_ID } from './tile-matrix';
import type { TileStore } from './tile-store';
import { MVT_MEDIA_TYPE } from './tiles.routes';

/**
 * Tiles of any version of a layer, for its organisation's people to look at before rolling back:
 * a version that is not served (rolled back, perhaps for a reason) is not public. A version
 * never changes, so its tiles may stay in the browser's cache.
 */
export function versionPreviewRouter(deps: { layerService: LayerService; layers: LayerRepository; tiles: TileStore }): Router {
  const router = Router();
  router.get(`/api/layers/:slug/versions/:version/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, async (req, res) => {
    const layer = await deps.layerService.requireReadable(principalOf(req), req.params.slug);
    const number = Number(req.params.version);
    if (!Number.isInteger(number) || number < 1) throw new InvalidParameterError('The version must be a whole number from 1.', { parameter: 'version' });
    const version = await deps.layers.findVersion(layer.id, number);
    if (!version) throw new NotFoundError(`Layer "${layer.slug}" has no version ${number}.`);
    const t = parseTileAddress(req.params.z, req.params.y, req.params.x);
    const tile = await deps.tiles.tile([{ ...layer, currentVersion: version }], t, abortSignalOf(res));
    res.set('Cache-Control', 'private, max-age=86400');
    if (tile.byteLength === 0) {
      res.status(204).end();
      return;
    }
    res.type(MVT_MEDIA_TYPE).send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  });
  return router;
}
