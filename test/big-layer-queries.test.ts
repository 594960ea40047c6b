import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsSql, whereClause } from '../server/src/features/feature-sql';
import { queryForVersion } from '../server/src/features/feature-store';
import { versionTable } from '../server/src/ingest/version-table';
import { CRS84 } from '../server/src/platform/geo/crs';
import { createTestApp, putData, type TestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';

/** Query plans are PostgreSQL's; the embedded PGlite runs the same SQL but its plans are not the claim. */
describe.runIf(testBackend() === 'postgis')('a big layer on real PostGIS', () => {
  const N = 200_000;
  let t: TestApp;
  let slug: string;

  beforeAll(async () => {
    t = await createTestApp();
    const pub = await t.createPublisher();
    slug = await t.createLayer(pub.token);
    // A seeded grid of points over Wales, sent as NDJSON.
    const lines: string[] = [];
    for (let i = 0; i < N; i++) {
      const lon = -5.3 + ((i * 7919) % 10007) / 10007 * 2.6;
      const lat = 51.4 + ((i * 104729) % 10009) / 10009 * 2.0;
      lines.push(`{"type":"Feature","properties":{"n":${i},"kind":"k${i % 8}"},"geometry":{"type":"Point","coordinates":[${lon.toFixed(6)},${lat.toFixed(6)}]}}`);
    }
    await putData(t.app, slug, pub.token, `${lines.join('\n')}\n`, '', 'application/x-ndjson').expect(201);
  }, 300_000);
  afterAll(() => t?.close());

  async function explain(sql: string, bindings: readonly unknown[]): Promise<string> {
    const { rows } = (await t.deps.db.knex.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as never)) as { rows: Array<{ 'QUERY PLAN': unknown }> };
    return JSON.stringify(rows[0]!['QUERY PLAN']);
  }

  async function plan(bbox: [number, number, number, number], after?: number): Promise<string> {
    const v = (await t.deps.layers.get(slug))!.currentVersion!;
    const q = itemsSql(versionTable(v.tableName), queryForVersion(v, { bbox: { coords: bbox, srid: 4326 }, equals: [], limit: 100, offset: 0, after, crs: CRS84 }));
    return explain(q.sql, q.bindings);
  }

  it('answers a small bbox from the GiST index', async () => {
    const p = await plan([-3.2, 51.45, -3.18, 51.47]);
    expect(p).toMatch(/"Index Name":"u\d+_geom_idx"/);
    expect(p).not.toMatch(/"Node Type":"Seq Scan"/);
  });

  // The plan for `ORDER BY fid LIMIT n` depends on how many features the planner expects in the
  // box: an estimate off by the square (a doubled box test) chose a sort of thousands of rows.
  it('estimates how many features a bbox holds to within a factor of two', async () => {
    const v = (await t.deps.layers.get(slug))!.currentVersion!;
    for (const bbox of [[-4, 52, -3.5, 52.5], [-3.2, 51.45, -3.1, 51.55]] as Array<[number, number, number, number]>) {
      const where = whereClause(queryForVersion(v, { bbox: { coords: bbox, srid: 4326 }, equals: [], limit: 1, offset: 0, crs: CRS84 }));
      const estimated = Number(/"Plan Rows":(\d+)/.exec(await explain(`SELECT 1 FROM ${versionTable(v.tableName)} ${where.sql}`, where.bindings))![1]);
      const { rows } = (await t.deps.db.knex.raw(`SELECT count(*)::int AS n FROM ${versionTable(v.tableName)} ${where.sql}`, where.bindings as never)) as { rows: Array<{ n: number }> };
      expect(rows[0]!.n).toBeGreaterThan(100);
      expect(estimated).toBeGreaterThan(rows[0]!.n / 2);
      expect(estimated).toBeLessThan(rows[0]!.n * 2);
    }
  });

  it('pages deep into the layer by key, not by scanning past an offset', async () => {
    const p = await plan([-6, 50, -2, 54], 190_000);
    expect(p).toMatch(/"Index Name":"u\d+_pkey"/);
    expect(p).toMatch(/"Index Cond":"\(fid > /);
    const res = await request(t.app).get(`/ogc/collections/${slug}/items?limit=10&after=${N - 5}`).expect(200);
    expect(res.body.numberReturned).toBe(5);
    expect(res.body.links.some((l: { rel: string }) => l.rel === 'next')).toBe(false);
  });

  it('serves a page of 10,000 features', async () => {
    const res = await request(t.app).get(`/ogc/collections/${slug}/items?limit=10000`).expect(200);
    expect(res.body.numberReturned).toBe(10_000);
    expect(res.body.numberMatched).toBe(N);
  });
});
