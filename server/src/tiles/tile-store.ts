import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ServedLayer } from '../layers/published-layers';
import type { Database } from '../platform/db/database';
import { AppError } from '../platform/errors';
import { encodeFallbackLayer, type FallbackRow, fallbackRowsSql } from './mvt-fallback';
import type { TileCache } from './tile-cache';
import type { TileAddress } from './tile-matrix';
import { asMvtSql } from './tile-sql';

/** A layer that is serving: its slug names the MVT layer, its current version is what is drawn. */
export type { ServedLayer };

/** Which encoder draws tiles on this database; part of every ETag, since the two differ in bytes. */
export const encoderOf = (db: Database) => (db.capabilities.mvt ? 'st_asmvt' : 'fallback');

const EMPTY = new Uint8Array(0);
const gzip = promisify(gzipCallback);

/**
 * Draws tiles: one MVT layer per layer, cached per version and tile. A tile of several layers is
 * the concatenation of their one-layer tiles (an MVT tile is a repeated `layers` field), so each
 * layer's part is drawn and cached once whichever set it is asked for in.
 */
export function createTileStore(db: Database, cache: TileCache) {
  const encoder = encoderOf(db);
  /**
   * Where a layer's tile is kept, or undefined when it is not kept: cache off, or drawn before the
   * tile table was ready (the ready tile may be generalised differently).
   */
  const cacheKey = (layer: ServedLayer, t: TileAddress) =>
    cache.maxBytes > 0 && layer.currentVersion.tilesReady ? `${layer.currentVersion.id}/${t.z}/${t.x}/${t.y}` : undefined;

  async function render(layer: ServedLayer, t: TileAddress, signal?: AbortSignal): Promise<Uint8Array> {
    const v = layer.currentVersion;
    if (encoder === 'st_asmvt') {
      const q = asMvtSql(layer.slug, v, t);
      const [row] = await db.read<{ tile: Uint8Array | null }>(q.sql, q.bindings, signal, q.statementName);
      return row?.tile ?? EMPTY;
    }
    const q = fallbackRowsSql(v, t);
    return encodeFallbackLayer(layer.slug, await db.read<FallbackRow>(q.sql, q.bindings, signal));
  }

  async function layerTile(layer: ServedLayer, t: TileAddress, signal?: AbortSignal): Promise<Uint8Array> {
    const key = cacheKey(layer, t);
    const cached = key ? cache.get(key) : undefined;
    if (cached) return cached;
    let tile: Uint8Array;
    try {
      tile = await render(layer, t, signal);
    } catch (err) {
      throw asTileError(err, layer.slug, t);
    }
    if (key) cache.set(key, tile);
    return tile;
  }

  /** A tile of one layer is that layer's part: only those have a key of their own. */
  const singleKey = (layers: ServedLayer[], t: TileAddress) => (layers.length === 1 ? cacheKey(layers[0]!, t) : undefined);

  return {
    encoder,
    /** The tile from memory (the common case for a busy map): no SQL, no waiting. */
    cached(layers: ServedLayer[], t: TileAddress): Uint8Array | undefined {
      const key = singleKey(layers, t);
      return key ? cache.get(key) : undefined;
    },
    /**
     * The tile gzipped (level 6, on libuv's thread pool, not the event loop); a single ready
     * layer's is kept in the cache beside the plain one.
     */
    async gzipped(layers: ServedLayer[], t: TileAddress, tile: Uint8Array): Promise<Buffer> {
      const plainKey = singleKey(layers, t);
      const key = plainKey && `${plainKey}.gz`;
      const hit = key ? cache.get(key) : undefined;
      if (hit) return Buffer.from(hit.buffer, hit.byteOffset, hit.byteLength);
      const gz = await gzip(tile, { level: 6 });
      if (key) cache.set(key, gz);
      return gz;
    },
    /** The tile of these layers, in this order; empty when none has a feature there. */
    async tile(layers: ServedLayer[], t: TileAddress, signal?: AbortSignal): Promise<Uint8Array> {
      const parts = await Promise.all(layers.map((l) => layerTile(l, t, signal)));
      if (parts.length === 1) return parts[0]!;
      return Buffer.concat(parts);
    },
  };
}

export type TileStore = ReturnType<typeof createTileStore>;

/** A statement timeout becomes a 503 the map can retry; anything else stays as it was. */
function asTileError(err: unknown, slug: string, t: TileAddress): unknown {
  const e = err as { code?: string; message?: string };
  if (e?.code === '57014' && /statement timeout/.test(e.message ?? '')) {
    return new AppError(503, 'Tile took too long', `Tile ${t.z}/${t.y}/${t.x} of "${slug}" took longer than the statement timeout to draw; try again or zoom in.`, {}, { cause: err });
  }
  return err;
}
