import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/platform/db/open-database';
import { AppError } from '../server/src/platform/errors';
import { TileCache } from '../server/src/tiles/tile-cache';
import { createTileStore, type ServedLayer } from '../server/src/tiles/tile-store';
import { decodeTile, tileOf } from './helpers/mvt';
import { binary, createTestApp, type TestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';

const POINTS = 1_000_000;

/** 1,000,000 points over Wales as NDJSON, made as they are sent: 60 % around 20 towns, the rest spread out. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
const townRandom = seeded(7);
const towns = Array.from({ length: 20 }, () => [-5.2 + townRandom() * 2.4, 51.4 + townRandom() * 2] as const);

function* wales(): Generator<string> {
  const random = seeded(42);
  let batch: string[] = [];
  for (let i = 1; i <= POINTS; i++) {
    const town = towns[i % 20]!;
    const [lon, lat] = i % 5 < 3 ? [town[0] + (random() - 0.5) * 0.1, town[1] + (random() - 0.5) * 0.06] : [-5.3 + random() * 2.6, 51.35 + random() * 2.1];
    batch.push(`{"type":"Feature","id":${i},"properties":{"name":"Point ${i}","category":"c${i % 8}","value":${i % 1000}},"geometry":{"type":"Point","coordinates":[${lon.toFixed(6)},${lat.toFixed(6)}]}}\n`);
    if (batch.length === 5000) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length) yield batch.join('');
}

/** A million points through the real upload path, then the tiles a map of Wales asks for first. */
describe.runIf(testBackend() === 'postgis')('a 1,000,000-point layer at low zoom', () => {
  let t: TestApp;
  let server: http.Server;
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp();
    const { token } = await t.createPublisher();
    slug = await t.createLayer(token);
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: `/api/layers/${slug}/data`, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/geo+json-seq' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      Readable.from(wales()).pipe(req);
    });
    expect(status).toBe(201);
    await t.deps.tilePreparer.idle();
  }, 300_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('keeps the z6 tile over all of Wales under 500 KB, thinned to one point per cell', async () => {
    const w = tileOf(-3.7, 52.3, 6);
    const res = await request(t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad/6/${w.y}/${w.x}`).buffer(true).parse(binary).expect(200);
    expect(res.body.length).toBeLessThan(500 * 1024);
    const drawn = decodeTile(res.body)[slug]!;
    expect(drawn.length).toBeGreaterThan(100);
    expect(drawn.length).toBeLessThanOrEqual(64 * 64);
    // Low zooms carry the categories a map styles by; names and values come from zoom 11 (or /items).
    expect(drawn[0]!.properties).toEqual({ category: expect.stringMatching(/^c\d$/) });
    const tj = await request(t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad`).expect(200);
    expect(tj.body.vector_layers[0].generalisation).toMatchObject({ method: ['point-grid-thinning', 'category-properties-only'], lowZoomProperties: ['category'] });
    const deep = tileOf(towns[0]![0], towns[0]![1], 14);
    const full = decodeTile((await request(t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad/14/${deep.y}/${deep.x}`).buffer(true).parse(binary).expect(200)).body)[slug]!;
    expect(full[0]!.properties).toEqual({ name: expect.stringMatching(/^Point \d+$/), category: expect.any(String), value: expect.any(Number) });
    // Every zoom up to 10 stays within its grid: at most 4096 points in any tile.
    for (const z of [8, 10]) {
      const tz = tileOf(-3.2, 51.6, z);
      const body = (await request(t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad/${z}/${tz.y}/${tz.x}`).buffer(true).parse(binary).expect(200)).body;
      expect(decodeTile(body)[slug]!.length).toBeLessThanOrEqual(64 * 64);
    }
  });

  it('gives up on a tile that outlasts the statement timeout with a 503 naming the tile', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${await t.deps.db.knex.raw('SELECT current_database() AS d').then((r: { rows: Array<{ d: string }> }) => r.rows[0]!.d)}`;
    const impatient = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1, statementTimeoutMs: 20 });
    try {
      const store = createTileStore(impatient, new TileCache(0));
      const layer = (await t.deps.published.get(slug)) as ServedLayer;
      // Zoom 11 is past thinning: a town's tile draws its 30,000 points.
      const err = await store.tile([layer], tileOf(towns[0]![0], towns[0]![1], 11)).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(503);
      expect((err as AppError).publicMessage).toMatch(/^Tile 11\/\d+\/\d+ of "layer-/);
    } finally {
      await impatient.close();
    }
  });
});
