import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/config';
import { type AppDeps, buildDeps } from '../server/src/deps';
import { migrateToLatest } from '../server/src/platform/db/migrate';
import { openDatabase } from '../server/src/platform/db/open-database';
import { createLogger } from '../server/src/platform/log';
import { seedSampleLayers } from '../server/src/seed-samples';
import type { ServedLayer } from '../server/src/tiles/tile-store';
import { type DecodedFeature, decodeTile, tileOf } from './helpers/mvt';
import { createTestApp, type TestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';

/**
 * The same sample layers on real PostGIS (ST_AsMVT) and on the embedded PGlite (the fallback
 * encoder): decoded, the tiles must hold the same features with the same properties and shapes.
 */
describe.runIf(testBackend() === 'postgis')('tiles from PostGIS and from PGlite', () => {
  let postgis: TestApp;
  let pglite: AppDeps;

  beforeAll(async () => {
    postgis = await createTestApp();
    await seedSampleLayers(postgis.deps);
    await postgis.deps.tilePreparer.idle();
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateToLatest(db.knex);
    pglite = buildDeps(loadConfig({ HAENAU_SEED: 'false' }), db, createLogger('silent'));
    await seedSampleLayers(pglite);
    await pglite.tilePreparer.idle();
  });
  afterAll(async () => {
    await postgis?.close();
    await pglite?.db.close();
  });

  type P = { x: number; y: number };
  /** Length of a segment's part inside the tile (Liang–Barsky): buffer-only slivers count for nothing. */
  const visibleLength = (a: P, b: P) => {
    let t0 = 0;
    let t1 = 1;
    const d = { x: b.x - a.x, y: b.y - a.y };
    for (const [p, q] of [[-d.x, a.x], [d.x, 4096 - a.x], [-d.y, a.y], [d.y, 4096 - a.y]] as const) {
      if (p === 0) {
        if (q < 0) return 0;
      } else if (p < 0) t0 = Math.max(t0, q / p);
      else t1 = Math.min(t1, q / p);
    }
    return t1 > t0 ? (t1 - t0) * Math.hypot(d.x, d.y) : 0;
  };
  const ringArea = (r: P[]) => Math.abs(r.reduce((s, p, i) => s + p.x * r[(i + 1) % r.length]!.y - r[(i + 1) % r.length]!.x * p.y, 0)) / 2;
  /** Points: how many; lines: visible length; polygons: the area of their rings. */
  const measure = (f: DecodedFeature) => {
    if (f.type === 1) return f.geometry.flat().length;
    if (f.type === 2) return f.geometry.reduce((s, line) => s + line.slice(1).reduce((t, p, i) => t + visibleLength(line[i]!, p), 0), 0);
    return f.geometry.reduce((s, ring) => s + ringArea(ring), 0);
  };

  it('uses ST_AsMVT on PostGIS and the fallback on PGlite', () => {
    expect(postgis.deps.tiles.encoder).toBe('st_asmvt');
    expect(pglite.tiles.encoder).toBe('fallback');
  });

  for (const slug of ['sample-schools', 'sample-active-travel-routes', 'sample-wards']) {
    it(`draws the same ${slug} features at zooms 7 to 14`, async () => {
      const a = (await postgis.deps.published.get(slug)) as ServedLayer;
      const b = (await pglite.published.get(slug)) as ServedLayer;
      let compared = 0;
      for (const z of [7, 9, 10, 12, 14]) {
        for (const [lon, lat] of [[-3.25, 52.0], [-3.4, 51.9], [-3.05, 52.1]] as const) {
          const t = tileOf(lon, lat, z);
          const fromPostgis = decodeTile(await postgis.deps.tiles.tile([a], t))[slug] ?? [];
          const fromPglite = decodeTile(await pglite.tiles.tile([b], t))[slug] ?? [];
          const byId = new Map(fromPglite.map((f) => [f.id, f]));
          expect(fromPglite.map((f) => f.id).sort()).toEqual(fromPostgis.map((f) => f.id).sort());
          for (const f of fromPostgis) {
            const other = byId.get(f.id)!;
            expect(other.properties).toEqual(f.properties);
            expect(other.type).toBe(f.type);
            // The same shape in the 4096 grid, up to how each simplifies a vertex and clips in the buffer.
            expect(Math.abs(measure(f) - measure(other))).toBeLessThanOrEqual(0.02 * measure(f) + 8);
            if (f.type === 1) expect(other.geometry).toEqual(f.geometry);
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(20);
    });
  }

  it('winds polygon rings the same way, so both decode to the same polygons', async () => {
    const a = (await postgis.deps.published.get('sample-wards')) as ServedLayer;
    const b = (await pglite.published.get('sample-wards')) as ServedLayer;
    const t = tileOf(-3.25, 52.0, 10);
    const area = (ring: Array<{ x: number; y: number }>) => ring.reduce((s, p, i) => s + p.x * ring[(i + 1) % ring.length]!.y - ring[(i + 1) % ring.length]!.x * p.y, 0);
    const signs = async (layer: ServedLayer, deps: AppDeps) =>
      (decodeTile(await deps.tiles.tile([layer], t))['sample-wards'] ?? []).map((f) => Math.sign(area(f.geometry[0]!)));
    const fromPostgis = await signs(a, postgis.deps);
    expect(fromPostgis.length).toBeGreaterThan(0);
    // Every exterior ring has the same sign on both: positive area in tile coordinates, as MVT 2.1 asks.
    expect(new Set(fromPostgis)).toEqual(new Set([1]));
    expect(new Set(await signs(b, pglite))).toEqual(new Set([1]));
  });
});
