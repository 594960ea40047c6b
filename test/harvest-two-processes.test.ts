import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { ADMIN_TOKEN } from './helpers/test-app';
import { createTestDatabase, testBackend } from './helpers/test-db';
import type { Database } from '../server/src/platform/db/database';

const wardsText = readFileSync(new URL('../../shared/data/uk-geodata/cardiff_electoral_wards_W06000015.geojson', import.meta.url), 'utf8');

/** One real app process (`tsx server/src/main.ts`) on the shared database; resolves once it listens. */
function startProcess(databaseUrl: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      HAENAU_SEED: 'false',
      HAENAU_ADMIN_TOKEN: ADMIN_TOKEN,
      HAENAU_SOURCE_ALLOWLIST: '127.0.0.1',
      HAENAU_SCHEDULER_INTERVAL_S: '0.5',
      HAENAU_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve({ child, origin: `http://127.0.0.1:${m[1]}` });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`app process exited (${code}): ${out}`)));
  });
}

async function api(origin: string, method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const res = await fetch(origin + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, any>) };
}

const SOURCES = 6;

// pg-boss runs on the server database; the embedded one is single-process by construction.
describe.runIf(testBackend() === 'postgis')('two app processes on one database harvest each due source once', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let council: FixtureServer;
  let processes: Array<{ child: ChildProcess; origin: string }> = [];
  const slugs: string[] = [];
  let token: string;

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase());
    const url = (db.knex.client.config.connection as { connectionString: string }).connectionString;
    council = await startFixtureServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 150)); // long enough for a second worker to try the same source
      res.writeHead(200, { 'content-type': 'application/geo+json' }).end(wardsText);
    });
    processes = await Promise.all([startProcess(url), startProcess(url)]);
    const [a] = processes;
    await api(a!.origin, 'POST', '/api/organisations', { id: 'two-proc', name: 'Two Process Council' });
    token = (await api(a!.origin, 'POST', '/api/organisations/two-proc/tokens', { name: 't' })).body!.token;
    for (let i = 0; i < SOURCES; i++) {
      const slug = `two-proc-${i}`;
      expect((await api(a!.origin, 'POST', '/api/layers', { slug, title: { en: slug } }, token)).status).toBe(201);
      const put = await api(a!.origin, 'PUT', `/api/layers/${slug}/source`, { url: `${council.origin}/wards-${i}.geojson`, schedule: 'manual' }, token);
      expect(put.status).toBe(201);
      slugs.push(slug);
    }
    await until(async () => (await db.knex('harvests').whereIn('status', ['queued', 'running']).count({ n: '*' }))[0]!.n == 0);
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)))));
    await council?.close();
    await drop?.();
  });

  it('runs every scheduled harvest exactly once, on whichever process claims it', async () => {
    council.requests.length = 0;
    // Every source falls due at the same moment; both processes poll every half second.
    await db.knex('layer_sources').update({ schedule: 'hourly', next_run_at: db.knex.raw("now() - interval '1 second'") });
    await until(async () => (await db.knex('harvests').where({ trigger: 'schedule' }).whereIn('status', ['unchanged', 'published', 'failed']).count({ n: '*' }))[0]!.n == SOURCES);
    await new Promise((r) => setTimeout(r, 2000)); // time for a duplicate to appear, were there one
    const scheduled = await db.knex('harvests').where({ trigger: 'schedule' }).select('layer_id', 'status', 'worker');
    expect(scheduled).toHaveLength(SOURCES);
    expect(new Set(scheduled.map((h) => h.layer_id)).size).toBe(SOURCES);
    expect(scheduled.every((h) => h.status === 'unchanged')).toBe(true);
    expect(council.requests).toHaveLength(SOURCES);
    // Each source moved on to its next hour, so nothing is due again now.
    const next = await db.knex('layer_sources').select(db.knex.raw('min(next_run_at) > now() AS later'));
    expect(next[0].later).toBe(true);
  });

  it('never runs two harvests of one source at once, however many processes are asked', async () => {
    const slug = slugs[0]!;
    const asks = await Promise.all(processes.flatMap((p) => [api(p.origin, 'POST', `/api/layers/${slug}/harvest`, undefined, token), api(p.origin, 'POST', `/api/layers/${slug}/harvest`, undefined, token)]));
    expect(asks.every((a) => a.status === 202)).toBe(true);
    await until(async () => (await db.knex('harvests').whereIn('status', ['queued', 'running']).count({ n: '*' }))[0]!.n == 0);
    const layerId = (await db.knex('layers').where({ slug }).first('id')).id;
    const ran = await db.knex('harvests').where({ layer_id: layerId, trigger: 'manual' }).whereNotNull('started_at').orderBy('started_at').select('started_at', 'finished_at');
    expect(ran.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < ran.length; i++) expect(ran[i].started_at.getTime()).toBeGreaterThanOrEqual(ran[i - 1].finished_at.getTime());
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}
