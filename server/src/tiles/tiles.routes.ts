import { type Request, type Response, Router } from 'express';
import type { PublishedLayers } from '../layers/published-layers';
import { InvalidParameterError } from '../platform/errors';
import { baseUrl } from '../platform/http/links';
import { optionalString } from '../platform/http/query-params';
import { abortSignalOf } from '../platform/http/request-signal';
import { mapStyle } from './map-style';
import { parseTileAddress, TILE_MATRIX_SET_ID, TILE_MATRIX_SET_URI, tileMatrixSetJson } from './tile-matrix';
import { tileJson } from './tilejson';
import type { ServedLayer, TileStore } from './tile-store';

export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';
/** Most layers one dataset tile may hold: a map overlaying more is better served by several sources. */
export const MAX_TILE_LAYERS = 20;
const TILE_PATH = `/tiles/${TILE_MATRIX_SET_ID}/{z}/{y}/{x}`;
/** A tile URL without the current version token may change at the next publish: caches check back soon. */
const SHORT_CACHE = 'public, max-age=60';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Smaller tiles go as they are: a few hundred bytes gain little from gzip. */
const GZIP_MIN_BYTES = 1024;

/** Vector tiles (OGC API – Tiles paths), TileJSON and MapLibre styles for one layer or a set. */
export function tilesRouter(deps: { published: PublishedLayers; tiles: TileStore }): Router {
  const router = Router();

  const requireLayer = (slug: string): Promise<ServedLayer> => deps.published.require(slug);

  /** ?collections=a,b: each once, in the order given (the first is drawn at the bottom). */
  const requireLayers = async (req: Request): Promise<ServedLayer[]> => {
    const list = optionalString(req.query.collections, 'collections');
    if (!list) throw new InvalidParameterError('collections is required: name the layers to draw, e.g. collections=schools,routes.', { parameter: 'collections' });
    const slugs = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
    if (slugs.length === 0 || slugs.length > MAX_TILE_LAYERS) {
      throw new InvalidParameterError(`collections must name 1 to ${MAX_TILE_LAYERS} layers; got ${slugs.length}.`, { parameter: 'collections' });
    }
    return Promise.all(slugs.map(requireLayer));
  };

  /** The version token in tile URLs: changes exactly when what any of the layers serves changes. */
  const versionToken = (layers: ServedLayer[]) => layers.map((l) => l.currentVersion.id).join('.');

  const sendTile = async (req: Request, res: Response, layers: ServedLayer[]) => {
    const t = parseTileAddress(String(req.params.z), String(req.params.y), String(req.params.x));
    const token = versionToken(layers);
    // Until every layer's tile table is ready its tiles are interim: their own ETag, and checked each time.
    const interim = layers.some((l) => !l.currentVersion.tilesReady);
    // Browsers ask for gzip; the compressed tile is another representation, so it has its own ETag.
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    const etag = `"${deps.tiles.encoder}-${token}-${t.z}-${t.x}-${t.y}${interim ? '-interim' : ''}${gzip ? '-gz' : ''}"`;
    res.set('Cache-Control', interim ? 'no-cache' : req.query.v === token ? IMMUTABLE : SHORT_CACHE);
    res.set('ETag', etag);
    res.vary('Accept-Encoding');
    if (req.get('If-None-Match')?.split(/\s*,\s*/).includes(etag)) {
      res.status(304).end();
      return;
    }
    const tile = deps.tiles.cached(layers, t) ?? (await deps.tiles.tile(layers, t, abortSignalOf(res)));
    if (tile.byteLength === 0) {
      res.status(204).end();
      return;
    }
    res.type(MVT_MEDIA_TYPE);
    if (gzip && tile.byteLength >= GZIP_MIN_BYTES) {
      res.set('Content-Encoding', 'gzip').send(await deps.tiles.gzipped(layers, t, tile));
      return;
    }
    res.send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  };

  const tilesetLinks = (req: Request, prefix: string, query: string) => ({
    tilesets: [
      {
        title: `${TILE_MATRIX_SET_ID} vector tiles`,
        dataType: 'vector',
        crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
        tileMatrixSetURI: TILE_MATRIX_SET_URI,
        links: [
          { rel: 'self', type: 'application/json', title: 'TileJSON', href: `${baseUrl(req)}${prefix}/tiles/${TILE_MATRIX_SET_ID}${query}` },
          { rel: 'item', type: MVT_MEDIA_TYPE, templated: true, href: `${baseUrl(req)}${prefix}${TILE_PATH}${query}` },
          { rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme', type: 'application/json', href: `${baseUrl(req)}/ogc/tileMatrixSets/${TILE_MATRIX_SET_ID}` },
        ],
      },
    ],
  });

  router.get('/ogc/tileMatrixSets', (req, res) => {
    res.json({ tileMatrixSets: [{ id: TILE_MATRIX_SET_ID, uri: TILE_MATRIX_SET_URI, links: [{ rel: 'self', href: `${baseUrl(req)}/ogc/tileMatrixSets/${TILE_MATRIX_SET_ID}` }] }] });
  });
  router.get(`/ogc/tileMatrixSets/${TILE_MATRIX_SET_ID}`, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').json(tileMatrixSetJson());
  });

  // One layer.
  router.get('/ogc/collections/:collectionId/tiles', async (req, res) => {
    const layer = await requireLayer(String(req.params.collectionId));
    res.json(tilesetLinks(req, `/ogc/collections/${layer.slug}`, ''));
  });
  router.get(`/ogc/collections/:collectionId/tiles/${TILE_MATRIX_SET_ID}`, async (req, res) => {
    const layer = await requireLayer(String(req.params.collectionId));
    const tilesUrl = `${baseUrl(req)}/ogc/collections/${layer.slug}${TILE_PATH}?v=${versionToken([layer])}`;
    res.set('Cache-Control', SHORT_CACHE).json(tileJson([layer], { name: layer.title.en, description: layer.description.en ?? undefined, tilesUrl }));
  });
  router.get(`/ogc/collections/:collectionId/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, async (req, res) => {
    await sendTile(req, res, [await requireLayer(String(req.params.collectionId))]);
  });
  router.get('/ogc/collections/:collectionId/styles/default', async (req, res) => {
    const layer = await requireLayer(String(req.params.collectionId));
    const tileJsonUrl = `${baseUrl(req)}/ogc/tiles/${TILE_MATRIX_SET_ID}?collections=${encodeURIComponent(layer.slug)}`;
    res.set('Cache-Control', SHORT_CACHE).json(mapStyle([layer], { name: layer.title.en, tileJsonUrl }));
  });

  // A set of layers in one tile, one MVT layer each.
  router.get('/ogc/tiles', async (req, res) => {
    const layers = await requireLayers(req);
    res.json(tilesetLinks(req, '/ogc', `?collections=${encodeURIComponent(layers.map((l) => l.slug).join(','))}`));
  });
  router.get(`/ogc/tiles/${TILE_MATRIX_SET_ID}`, async (req, res) => {
    const layers = await requireLayers(req);
    const collections = encodeURIComponent(layers.map((l) => l.slug).join(','));
    const tilesUrl = `${baseUrl(req)}/ogc${TILE_PATH}?collections=${collections}&v=${versionToken(layers)}`;
    res.set('Cache-Control', SHORT_CACHE).json(tileJson(layers, { name: layers.map((l) => l.title.en).join(', '), tilesUrl }));
  });
  router.get(`/ogc/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, async (req, res) => {
    await sendTile(req, res, await requireLayers(req));
  });
  router.get('/ogc/styles/default', async (req, res) => {
    const layers = await requireLayers(req);
    const tileJsonUrl = `${baseUrl(req)}/ogc/tiles/${TILE_MATRIX_SET_ID}?collections=${encodeURIComponent(layers.map((l) => l.slug).join(','))}`;
    res.set('Cache-Control', SHORT_CACHE).json(mapStyle(layers, { name: layers.map((l) => l.title.en).join(', '), tileJsonUrl }));
  });
  return router;
}
