import type { ServerResponse } from 'node:http';
import accepts from 'accepts';
import { type Request, Router } from 'express';
import type { PublishedLayers } from '../layers/published-layers';
import { InvalidParameterError } from '../platform/errors';
import { requestBase } from '../platform/http/links';
import { optionalString } from '../platform/http/query-params';
import type { ReadHandler, ReadRoute } from '../platform/http/read-routes';
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

type TilesDeps = { published: PublishedLayers; tiles: TileStore };

/** ?collections=a,b: each once, in the order given (the first is drawn at the bottom). */
function requireLayers(deps: TilesDeps, collections: unknown): Promise<ServedLayer[]> {
  const list = optionalString(collections, 'collections');
  if (!list) throw new InvalidParameterError('collections is required: name the layers to draw, e.g. collections=schools,routes.', { parameter: 'collections' });
  const slugs = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  if (slugs.length === 0 || slugs.length > MAX_TILE_LAYERS) {
    throw new InvalidParameterError(`collections must name 1 to ${MAX_TILE_LAYERS} layers; got ${slugs.length}.`, { parameter: 'collections' });
  }
  return Promise.all(slugs.map((slug) => deps.published.require(slug)));
}

/** The version token in tile URLs: changes exactly when what any of the layers serves changes. */
const versionToken = (layers: ServedLayer[]) => layers.map((l) => l.currentVersion.id).join('.');

/** The tiles themselves, for one layer or a set: read routes, served ahead of Express (they are most of a map's requests). */
export function tileReadRoutes(deps: TilesDeps): ReadRoute[] {
  const sendTile = async (req: Parameters<ReadHandler>[0], res: ServerResponse, layers: ServedLayer[]) => {
    const t = parseTileAddress(req.params.z!, req.params.y!, req.params.x!);
    const token = versionToken(layers);
    // Until every layer's tile table is ready its tiles are interim: their own ETag, and checked each time.
    const interim = layers.some((l) => !l.currentVersion.tilesReady);
    // Browsers ask for gzip; the compressed tile is another representation, so it has its own ETag.
    const gzip = req.raw.headers['accept-encoding'] !== undefined && accepts(req.raw).encoding(['gzip', 'identity']) === 'gzip';
    const etag = `"${deps.tiles.encoder}-${token}-${t.z}-${t.x}-${t.y}${interim ? '-interim' : ''}${gzip ? '-gz' : ''}"`;
    res.setHeader('Cache-Control', interim ? 'no-cache' : req.query.v === token ? IMMUTABLE : SHORT_CACHE);
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.raw.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const tile = deps.tiles.cached(layers, t) ?? (await deps.tiles.tile(layers, t, abortSignalOf(res)));
    if (tile.byteLength === 0) {
      res.statusCode = 204;
      res.end();
      return;
    }
    res.setHeader('Content-Type', MVT_MEDIA_TYPE);
    const body = gzip && tile.byteLength >= GZIP_MIN_BYTES ? await deps.tiles.gzipped(layers, t, tile) : tile;
    if (body !== tile) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.byteLength);
    res.end(body);
  };
  return [
    { path: `/ogc/collections/:collectionId/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, handler: async (req, res) => sendTile(req, res, [await deps.published.require(req.params.collectionId!)]) },
    { path: `/ogc/tiles/${TILE_MATRIX_SET_ID}/:z/:y/:x`, handler: async (req, res) => sendTile(req, res, await requireLayers(deps, req.query.collections)) },
  ];
}

/** Vector tiles (OGC API – Tiles paths): TileJSON and MapLibre styles for one layer or a set; the tiles are read routes, above. */
export function tilesRouter(deps: TilesDeps): Router {
  const router = Router();
  const requireLayer = (slug: string): Promise<ServedLayer> => deps.published.require(slug);

  const tilesetLinks = (req: Request, prefix: string, query: string) => ({
    tilesets: [
      {
        title: `${TILE_MATRIX_SET_ID} vector tiles`,
        dataType: 'vector',
        crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
        tileMatrixSetURI: TILE_MATRIX_SET_URI,
        links: [
          { rel: 'self', type: 'application/json', title: 'TileJSON', href: `${requestBase(req)}${prefix}/tiles/${TILE_MATRIX_SET_ID}${query}` },
          { rel: 'item', type: MVT_MEDIA_TYPE, templated: true, href: `${requestBase(req)}${prefix}${TILE_PATH}${query}` },
          { rel: 'http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme', type: 'application/json', href: `${requestBase(req)}/ogc/tileMatrixSets/${TILE_MATRIX_SET_ID}` },
        ],
      },
    ],
  });

  router.get('/ogc/tileMatrixSets', (req, res) => {
    res.json({ tileMatrixSets: [{ id: TILE_MATRIX_SET_ID, uri: TILE_MATRIX_SET_URI, links: [{ rel: 'self', href: `${requestBase(req)}/ogc/tileMatrixSets/${TILE_MATRIX_SET_ID}` }] }] });
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
    const tilesUrl = `${requestBase(req)}/ogc/collections/${layer.slug}${TILE_PATH}?v=${versionToken([layer])}`;
    res.set('Cache-Control', SHORT_CACHE).json(tileJson([layer], { name: layer.title.en, description: layer.description.en ?? undefined, tilesUrl }));
  });
  router.get('/ogc/collections/:collectionId/styles/default', async (req, res) => {
    const layer = await requireLayer(String(req.params.collectionId));
    const tileJsonUrl = `${requestBase(req)}/ogc/tiles/${TILE_MATRIX_SET_ID}?collections=${encodeURIComponent(layer.slug)}`;
    res.set('Cache-Control', SHORT_CACHE).json(mapStyle([layer], { name: layer.title.en, tileJsonUrl }));
  });

  // A set of layers in one tile, one MVT layer each.
  router.get('/ogc/tiles', async (req, res) => {
    const layers = await requireLayers(deps, req.query.collections);
    res.json(tilesetLinks(req, '/ogc', `?collections=${encodeURIComponent(layers.map((l) => l.slug).join(','))}`));
  });
  router.get(`/ogc/tiles/${TILE_MATRIX_SET_ID}`, async (req, res) => {
    const layers = await requireLayers(deps, req.query.collections);
    const collections = encodeURIComponent(layers.map((l) => l.slug).join(','));
    const tilesUrl = `${requestBase(req)}/ogc${TILE_PATH}?collections=${collections}&v=${versionToken(layers)}`;
    res.set('Cache-Control', SHORT_CACHE).json(tileJson(layers, { name: layers.map((l) => l.title.en).join(', '), tilesUrl }));
  });
  router.get('/ogc/styles/default', async (req, res) => {
    const layers = await requireLayers(deps, req.query.collections);
    const tileJsonUrl = `${requestBase(req)}/ogc/tiles/${TILE_MATRIX_SET_ID}?collections=${encodeURIComponent(layers.map((l) => l.slug).join(','))}`;
    res.set('Cache-Control', SHORT_CACHE).json(mapStyle(layers, { name: layers.map((l) => l.title.en).join(', '), tileJsonUrl }));
  });
  return router;
}
