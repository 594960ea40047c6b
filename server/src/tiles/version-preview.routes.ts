import { Router } from 'express';
import { principalOf } from '../auth/authenticate';
import type { LayerService } from '../layers/layer-service';
import { abortSignalOf } from '../platform/http/request-signal';
import { parseTileAddress, TILE_MATRIX_SET_ID } from './tile-matrix';
import type { TileStore } from './tile-store';
import { MVT_MEDIA_TYPE } from './tiles.routes';

/**
 * Tiles of any version of a layer, for its organisation's people to look at before rolling back:
 * a version that is not served (rolled back, perhaps for a reason) is not public. A version
 * never changes, so its tiles may stay in the browser's cache.
 */
export function versionPreviewRouter(deps: { layerService: LayerService; tiles: TileStore }): Router {
  const router = Router();
  router.get(`/api/layers/:slug/versions/:version/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, async (req, res) => {
    const layer = await deps.layerService.requireReadable(principalOf(req), req.params.slug);
    const version = await deps.layerService.requireVersion(layer, req.params.version);
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
