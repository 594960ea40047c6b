import { describe, expect, it } from 'vitest';
import { migrateDownOne, migrateToLatest } from '../server/src/platform/db/migrate';
import { TileCache } from '../server/src/tiles/tile-cache';
import { createTileStore, type ServedLayer } from '../server/src/tiles/tile-store';
import { decodeTile, tileOf } from './helpers/mvt';
import { useTestApp } from './helpers/test-app';

const ctx = useTestApp({ seed: true });

/** Versions published before tile tables existed get one when the migration runs, and draw the same tiles. */
describe('the tile-tables migration', () => {
  it('builds tile tables for existing versions that draw the same features and properties', async () => {
    const { deps } = ctx.t;
    const store = createTileStore(deps.db, new TileCache(0));
    const drawAll = async () => {
      const out: Record<string, unknown> = {};
      for (const slug of ['sample-schools', 'sample-active-travel-routes', 'sample-wards']) {
        deps.published.invalidate();
        const layer = (await deps.published.get(slug)) as ServedLayer;
        const features = decodeTile(await store.tile([layer], tileOf(-3.25, 52.0, 10)))[slug]!;
        out[slug] = features.map((f) => ({ id: f.id, properties: f.properties, type: f.type })).sort((a, b) => a.id! - b.id!);
      }
      return out;
    };
    const before = await drawAll();
    // Back past the migrations that came after it (however many there are by now), then through it.
    const applied = async () => (await deps.db.knex('knex_migrations').pluck('name')) as string[];
    while ((await applied()).includes('20261121100000_tile_tables')) await migrateDownOne(deps.db.knex);
    const { rows } = (await deps.db.knex.raw("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'layer_data' AND table_name LIKE '%_tiles'")) as { rows: Array<{ n: number }> };
    expect(rows[0]!.n).toBe(0);
    await migrateToLatest(deps.db.knex);
    const after = await drawAll();
    expect(after).toEqual(before);
    const layer = (await deps.published.get('sample-schools')) as ServedLayer;
    expect(layer.currentVersion.tileColumns).toEqual({ typed: [], other: true });
  });
});
