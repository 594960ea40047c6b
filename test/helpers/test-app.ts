import { randomBytes } from 'node:crypto';
import type { App } from '../../server/src/app';
import type { Response } from 'superagent';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../server/src/app';
import { type Config, loadConfig } from '../../server/src/config';
import { type AppDeps, buildDeps } from '../../server/src/deps';
import type { Clock } from '../../server/src/platform/clock';
import { createLogger } from '../../server/src/platform/log';
import { seedSampleLayers } from '../../server/src/seed-samples';
import { createTestDatabase } from './test-db';

export const ADMIN_TOKEN = 'test-operator-token-0123456789abcdef';

export interface TestApp {
  app: App;
  deps: AppDeps;
  close: () => Promise<void>;
  /** A new organisation with a fresh publisher token, unique to the calling test. */
  createPublisher: (prefix?: string) => Promise<{ organisation: string; token: string }>;
  /** Creates a layer as this publisher and returns its slug. */
  createLayer: (token: string, extra?: Record<string, unknown>) => Promise<string>;
}

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** createApp over a fresh test database; limits may be lowered per file, and the clock replaced. */
export async function createTestApp(limits: Partial<Config['limits']> = {}, env: Record<string, string> = {}, clock?: Clock): Promise<TestApp> {
  const { db, drop } = await createTestDatabase();
  const base = loadConfig({
    HAENAU_ADMIN_TOKEN: ADMIN_TOKEN,
    HAENAU_SEED: 'false',
    HAENAU_LOG_LEVEL: 'silent',
    // Harvest tests serve their sources on loopback; the scheduler runs when a test calls tick().
    HAENAU_SOURCE_ALLOWLIST: '127.0.0.1,localhost',
    HAENAU_SCHEDULER_INTERVAL_S: '0',
    HAENAU_HARVEST_BACKOFF_MS: '50',
    HAENAU_HARVEST_TIMEOUT_MS: '5000',
    ...env,
  });
  const config: Config = { ...base, limits: { ...base.limits, ...limits } };
  const deps = buildDeps(config, db, createLogger(process.env.HAENAU_TEST_LOG === '1' ? 'debug' : 'silent'), clock);
  await deps.harvestJobs.start(deps.sourceService);
  const app = createApp(deps);
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    app,
    deps,
    close: async () => {
      await deps.harvestJobs.stop();
      await deps.tilePreparer.idle();
      await drop();
    },
    async createPublisher(prefix = 'council') {
      const organisation = unique(prefix);
      await request(app).post('/api/organisations').set(admin).send({ id: organisation, name: `${organisation} Council` }).expect(201);
      const res = await request(app).post(`/api/organisations/${organisation}/tokens`).set(admin).send({ name: 'tests' }).expect(201);
      return { organisation, token: res.body.token as string };
    },
    async createLayer(token, extra = {}) {
      const slug = unique('layer');
      await request(app)
        .post('/api/layers')
        .set({ Authorization: `Bearer ${token}` })
        .send({ slug, title: { en: `Layer ${slug}` }, ...extra })
        .expect(201);
      return slug;
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** PUT a body to a layer's data as GeoJSON (or another content type). */
export function putData(app: App, slug: string, token: string, body: string | Buffer | object, query = '', contentType = 'application/geo+json') {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return request(app)
    .put(`/api/layers/${slug}/data${query}`)
    .set(bearer(token))
    .set('Content-Type', contentType)
    .serialize((x) => x) // bytes go as they are, never re-encoded as JSON
    .send(payload);
}

export function featureCollection(features: unknown[], extra: Record<string, unknown> = {}) {
  return { type: 'FeatureCollection', ...extra, features };
}

export function pointFeature(id: string | number | undefined, lon: number, lat: number, properties: Record<string, unknown> = {}) {
  return { type: 'Feature', ...(id === undefined ? {} : { id }), properties, geometry: { type: 'Point', coordinates: [lon, lat] } };
}

/** The features a layer serves now, read straight from its current version's table. */
export async function currentFeatures(t: TestApp, slug: string) {
  const layer = await t.deps.layers.get(slug);
  if (!layer?.currentVersion) return [];
  const { rows } = (await t.deps.db.knex.raw(
    `SELECT fid, feature_id, properties, ST_AsGeoJSON(geom, 9)::json AS geometry FROM layer_data."${layer.currentVersion.tableName}" ORDER BY fid`,
  )) as { rows: Array<{ fid: number; feature_id: string | null; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }> };
  return rows;
}

/** Every table in the layer_data schema: what version tables exist. */
export async function versionTables(t: TestApp): Promise<string[]> {
  const { rows } = (await t.deps.db.knex.raw(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'layer_data' ORDER BY table_name",
  )) as { rows: Array<{ table_name: string }> };
  return rows.map((r) => r.table_name);
}

export interface Publisher {
  organisation: string;
  token: string;
}

/**
 * A fresh app for this test file, built before its first test and closed after its last, with the
 * sample layers and/or one publisher when asked. Read the fields inside tests, not at import time.
 */
export function useTestApp(o: { seed?: boolean; publisher?: boolean } = {}): { t: TestApp; pub: Publisher } {
  const ctx = {} as { t: TestApp; pub: Publisher };
  beforeAll(async () => {
    ctx.t = await createTestApp();
    if (o.seed) {
      await seedSampleLayers(ctx.t.deps);
      await ctx.t.deps.tilePreparer.idle();
    }
    if (o.publisher) ctx.pub = await ctx.t.createPublisher();
  });
  afterAll(() => ctx.t?.close());
  return ctx;
}

/** supertest parser that keeps a binary body as a Buffer. */
export function binary(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}
