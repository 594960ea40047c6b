import type { App } from '../../server/src/app';
import type { Knex } from 'knex';
import request from 'supertest';
import { expect } from 'vitest';
import { createUser, signIn, type SignedIn, withSession } from './accounts';
import { createConsultation, pointComment, respond } from './consultations';
import { registerAndHarvest } from './harvest';
import { ADMIN_TOKEN, bearer, featureCollection, pointFeature, type Publisher, type TestApp, unique } from './test-app';

/** Who tries each write. Organisation A owns every target; B is the other council. */
export const CALLER_NAMES = {
  anonymous: 'anonymous',
  tokenB: "organisation B's publisher token",
  userB: "organisation B's signed-in publisher",
  moderatorA: "organisation A's signed-in moderator",
  revokedTokenA: "organisation A's revoked token",
  noCsrfA: "organisation A's signed-in publisher without the CSRF token",
  wrongCsrfA: "organisation A's signed-in publisher with another session's CSRF token",
  tokenA: "organisation A's publisher token",
  userA: "organisation A's signed-in publisher",
  operator: 'the operator',
} as const;
export type Caller = keyof typeof CALLER_NAMES;
export const CALLERS = Object.keys(CALLER_NAMES) as Caller[];

export type Headers = Record<string, string>;

export interface Callers {
  a: Publisher;
  b: Publisher;
  /**
   * The caller's credentials. `fresh` signs in a new user (or issues a new token): a caller that is
   * expected to succeed may sign itself out or change its password, so it never uses a shared one.
   */
  headers(caller: Caller, fresh: boolean): Promise<Headers>;
}

export async function issueToken(app: App, organisation: string): Promise<{ id: number; token: string }> {
  const res = await request(app).post(`/api/organisations/${organisation}/tokens`).set(bearer(ADMIN_TOKEN)).send({ name: 'matrix' }).expect(201);
  return { id: res.body.id, token: res.body.token };
}

/** Organisations A and B, their tokens, a revoked token of A, and signed-in users of both. */
export async function createCallers(t: TestApp): Promise<Callers> {
  const { app } = t;
  const [a, b] = [await t.createPublisher('org-a'), await t.createPublisher('org-b')];
  const revoked = await issueToken(app, a.organisation);
  await request(app).delete(`/api/organisations/${a.organisation}/tokens/${revoked.id}`).set(bearer(ADMIN_TOKEN)).expect(204);
  const user = async (org: string, role: string) => signIn(app, await createUser(app, org, [role]));
  const shared: Record<'userA' | 'moderatorA' | 'userB', SignedIn> = {
    userA: await user(a.organisation, 'publisher'),
    moderatorA: await user(a.organisation, 'moderator'),
    userB: await user(b.organisation, 'publisher'),
  };
  const session = async (name: keyof typeof shared, org: string, role: string, fresh: boolean) => withSession(fresh ? await user(org, role) : shared[name]);
  return {
    a,
    b,
    async headers(caller, fresh): Promise<Headers> {
      switch (caller) {
        case 'anonymous':
          return {} as Headers;
        case 'tokenB':
          return bearer(fresh ? (await issueToken(app, b.organisation)).token : b.token);
        case 'userB':
          return session('userB', b.organisation, 'publisher', fresh);
        case 'moderatorA':
          return session('moderatorA', a.organisation, 'moderator', fresh);
        case 'revokedTokenA':
          return bearer(revoked.token);
        case 'noCsrfA':
          return { Cookie: shared.userA.cookie };
        case 'wrongCsrfA':
          return { Cookie: shared.userA.cookie, 'X-CSRF-Token': shared.userB.csrf };
        case 'tokenA':
          return bearer(fresh ? (await issueToken(app, a.organisation)).token : a.token);
        case 'userA':
          return session('userA', a.organisation, 'publisher', fresh);
        case 'operator':
          return bearer(ADMIN_TOKEN);
      }
    },
  };
}

/** Columns that a request may touch just by authenticating (throttled "last used" stamps), not by writing. */
const AUTHENTICATION_STAMPS: Record<string, string[]> = { api_tokens: ['last_used_at'], sessions: ['last_seen_at'] };

export type Snapshot = Map<string, string[]>;

/**
 * Every row of every table in the public schema (bar PostGIS's spatial_ref_sys and knex's own),
 * and the names of the version and tile tables in layer_data: one picture of all a write could change.
 */
export async function snapshotDatabase(knex: Knex): Promise<Snapshot> {
  const { rows: tables } = (await knex.raw(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('public', 'layer_data')
        AND table_name <> 'spatial_ref_sys' AND table_name NOT LIKE 'knex\\_%'
      ORDER BY table_schema, table_name`,
  )) as { rows: Array<{ schema: string; name: string }> };
  const snapshot: Snapshot = new Map();
  snapshot.set('layer_data tables', tables.filter((t) => t.schema === 'layer_data').map((t) => t.name));
  for (const { name } of tables.filter((t) => t.schema === 'public')) {
    const rows = (await knex(name).select('*')) as Array<Record<string, unknown>>;
    for (const row of rows) for (const column of AUTHENTICATION_STAMPS[name] ?? []) delete row[column];
    snapshot.set(name, rows.map((r) => JSON.stringify(r)).sort());
  }
  return snapshot;
}

/** The tables whose contents differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => JSON.stringify(before.get(n)) !== JSON.stringify(after.get(n))).sort();
}

/** Waits until no harvest is queued or running and every tile table is built, so a snapshot is stable. */
export async function settle(t: TestApp): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    await t.deps.tilePreparer.idle();
    const busy = await t.deps.db.knex('harvests').whereIn('status', ['queued', 'running']).first('id');
    if (!busy) return t.deps.tilePreparer.idle();
    if (Date.now() > until) throw new Error(`harvest ${busy.id} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const SAFE_METHODS = new Set(['get', 'head', 'options']);

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: string | string[];
}

/** "METHOD /path" of every route in the app (Express 5's router stack) that answers an unsafe method. */
export function writeRoutesOf(app: App): string[] {
  const found: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => !SAFE_METHODS.has(m))) {
          found.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${layer.route.path}`);
        }
      } else if (layer.handle?.stack) {
        for (const mount of layer.slash ? [''] : [layer.rawPath ?? ''].flat()) walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app.express as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found.sort();
}

/** A small GeoJSON upload; a different label makes a different version. */
export const twoPoints = (label: string) => JSON.stringify(featureCollection([pointFeature('p1', -3.18, 51.48, { label }), pointFeature('p2', -3.2, 51.5, { label })]));

export function upload(app: App, slug: string, token: string, label: string) {
  return request(app).put(`/api/layers/${slug}/data`).set(bearer(token)).set('Content-Type', 'application/geo+json').send(twoPoints(label));
}

/** What a route acts on, all organisation A's: a layer and/or a live token. */
export interface Target {
  slug: string;
  tokenId: number;
  /** A checked upload waiting to be published. */
  uploadId: number;
  consultationId: string;
  responseId: number;
}

/** Builders for the targets the routes need; each call makes a new one. */
export function targets(t: TestApp, a: Publisher, sourceUrl: () => string) {
  const draft = async (): Promise<Partial<Target>> => ({ slug: await t.createLayer(a.token) });
  const published = async (): Promise<Partial<Target>> => {
    const { slug } = (await draft()) as Target;
    await upload(t.app, slug, a.token, 'first').expect(201);
    return { slug };
  };
  return {
    none: async (): Promise<Partial<Target>> => ({}),
    draft,
    published,
    twoVersions: async (): Promise<Partial<Target>> => {
      const { slug } = (await published()) as Target;
      await upload(t.app, slug, a.token, 'second').expect(201);
      return { slug };
    },
    withSource: async (): Promise<Partial<Target>> => {
      const { slug } = (await draft()) as Target;
      const { harvest } = await registerAndHarvest(t.app, slug, a.token, { url: sourceUrl() });
      expect(harvest.status).toBe('published');
      return { slug };
    },
    liveToken: async (): Promise<Partial<Target>> => ({ tokenId: (await issueToken(t.app, a.organisation)).id }),
    consultation: async (): Promise<Partial<Target>> => ({ consultationId: (await createConsultation(t.app, a.token)).id }),
    pendingResponse: async (): Promise<Partial<Target>> => {
      const { id } = await createConsultation(t.app, a.token);
      const r = await respond(t.app, id, pointComment(unique('comment'))).expect(201);
      return { consultationId: id, responseId: r.body.id };
    },
    approvedResponse: async (): Promise<Partial<Target>> => {
      const { id } = await createConsultation(t.app, a.token);
      const r = await respond(t.app, id, pointComment(unique('comment'))).expect(201);
      await request(t.app).patch(`/api/consultations/${id}/responses/${r.body.id}`).set(bearer(ADMIN_TOKEN)).send({ status: 'approved' }).expect(200);
      return { consultationId: id, responseId: r.body.id };
    },
    checkedUpload: async (): Promise<Partial<Target>> => {
      const { slug } = (await published()) as Target;
      const res = await request(t.app).put(`/api/layers/${slug}/data?stage=true`).set(bearer(a.token)).set('Content-Type', 'application/geo+json').send(twoPoints('checked')).expect(200);
      return { slug, uploadId: res.body.upload };
    },
  };
}
