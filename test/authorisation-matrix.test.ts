import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from './helpers/accounts';
import {
  CALLER_NAMES,
  CALLERS,
  type Caller,
  type Callers,
  changedTables,
  createCallers,
  type Headers,
  settle,
  snapshotDatabase,
  type Target,
  targets,
  twoPoints,
  writeRoutesOf,
} from './helpers/authorisation-matrix';
import { consultationBody, pointComment } from './helpers/consultations';
import { type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { unique, useTestApp } from './helpers/test-app';

/** How each caller is refused unless the route says otherwise. */
const REFUSED: Record<Caller, number> = {
  anonymous: 401,
  tokenB: 403,
  userB: 403,
  moderatorA: 403,
  revokedTokenA: 401,
  noCsrfA: 403,
  wrongCsrfA: 403,
  tokenA: 403,
  userA: 403,
  operator: 403,
};

interface Ctx {
  a: string;
  target: Partial<Target>;
  sourceUrl: string;
}

interface WriteRoute {
  /** Method and Express path, as the app's router lists it. */
  route: string;
  /** When one route is tried on two kinds of target. */
  variant?: string;
  url: (c: Ctx) => string;
  /** JSON, or a string sent as a GeoJSON upload. */
  body?: (c: Ctx) => object | string;
  /** What organisation A owns for the route to act on; refused callers share one, each success gets its own. */
  target: keyof ReturnType<typeof targets>;
  /** Who succeeds, with `ok`; everyone else is refused with REFUSED or `otherwise`, and changes nothing. */
  allow: Caller[];
  ok: number;
  otherwise?: Partial<Record<Caller, number>>;
  /** A success that changes nothing (inspecting a service). */
  readOnly?: true;
}

const PUBLISHERS_OF_A: Caller[] = ['tokenA', 'userA', 'operator'];
const SIGNED_IN: Caller[] = ['userB', 'moderatorA', 'userA'];
const TOKEN_MANAGERS_OF_A: Caller[] = ['userA', 'operator'];
const layerUrl = (suffix: string) => (c: Ctx) => `/api/layers/${c.target.slug}${suffix}`;

/**
 * Every route that changes something. Write routes answer another organisation with 403 even for a
 * draft (no write route hides drafts with 404: the slug is taken, as POST /api/layers would say with 409).
 * The session routes act on the caller's own session or password, so no one can name A's: any signed-in
 * user succeeds on its own, a token is not signed in (401), and signing out without a session is a no-op.
 */
const ROUTES: WriteRoute[] = [
  { route: 'POST /api/organisations', url: () => '/api/organisations', body: () => ({ id: unique('org'), name: 'New Council' }), target: 'none', allow: ['operator'], ok: 201 },
  { route: 'POST /api/organisations/:id/users', url: (c) => `/api/organisations/${c.a}/users`, body: () => ({ email: `${unique('new')}@example.org`, name: 'New officer', roles: ['publisher'], password: PASSWORD }), target: 'none', allow: ['operator'], ok: 201 },
  { route: 'POST /api/organisations/:id/tokens', url: (c) => `/api/organisations/${c.a}/tokens`, body: () => ({ name: 'another' }), target: 'none', allow: TOKEN_MANAGERS_OF_A, ok: 201 },
  { route: 'DELETE /api/organisations/:id/tokens/:tokenId', url: (c) => `/api/organisations/${c.a}/tokens/${c.target.tokenId}`, target: 'liveToken', allow: TOKEN_MANAGERS_OF_A, ok: 204 },
  { route: 'DELETE /api/session', url: () => '/api/session', target: 'none', allow: SIGNED_IN, ok: 204, otherwise: { anonymous: 204, tokenB: 204, tokenA: 204, operator: 204 } },
  { route: 'PUT /api/session/password', url: () => '/api/session/password', body: () => ({ currentPassword: PASSWORD, newPassword: 'a different long passphrase' }), target: 'none', allow: SIGNED_IN, ok: 204, otherwise: { tokenB: 401, tokenA: 401, operator: 401 } },
  { route: 'POST /api/layers', url: () => '/api/layers', body: (c) => ({ slug: unique('layer'), title: { en: 'New layer' }, organisation: c.a }), target: 'none', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'PATCH /api/layers/:slug', url: layerUrl(''), body: () => ({ title: { en: 'Changed' }, style: { color: '#ff0000' } }), target: 'published', allow: PUBLISHERS_OF_A, ok: 200 },
  { route: 'DELETE /api/layers/:slug', url: layerUrl(''), target: 'published', allow: PUBLISHERS_OF_A, ok: 204 },
  { route: 'POST /api/layers/:slug/rollback', url: layerUrl('/rollback'), body: () => ({ version: 1 }), target: 'twoVersions', allow: PUBLISHERS_OF_A, ok: 200 },
  { route: 'PUT /api/layers/:slug/data', url: layerUrl('/data'), body: () => twoPoints('new'), target: 'published', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'PUT /api/layers/:slug/data', variant: 'a draft', url: layerUrl('/data'), body: () => twoPoints('new'), target: 'draft', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'PUT /api/layers/:slug/data', variant: 'checked, not published', url: layerUrl('/data?stage=true'), body: () => twoPoints('new'), target: 'published', allow: PUBLISHERS_OF_A, ok: 200 },
  { route: 'POST /api/layers/:slug/uploads/:id/publish', url: (c) => `/api/layers/${c.target.slug}/uploads/${c.target.uploadId}/publish`, target: 'checkedUpload', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'DELETE /api/layers/:slug/uploads/:id', url: (c) => `/api/layers/${c.target.slug}/uploads/${c.target.uploadId}`, target: 'checkedUpload', allow: PUBLISHERS_OF_A, ok: 204 },
  { route: 'POST /api/consultations', url: () => '/api/consultations', body: (c) => consultationBody({ organisation: c.a }), target: 'none', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'PATCH /api/consultations/:id', url: (c) => `/api/consultations/${c.target.consultationId}`, body: () => ({ title: { en: 'Changed' } }), target: 'consultation', allow: PUBLISHERS_OF_A, ok: 200 },
  // Citizens need no account: anyone may respond, but a session cookie without its CSRF token is still refused.
  { route: 'POST /api/consultations/:id/responses', url: (c) => `/api/consultations/${c.target.consultationId}/responses`, body: () => pointComment(unique('comment')), target: 'consultation', allow: ['anonymous', 'tokenB', 'userB', 'moderatorA', 'tokenA', 'userA', 'operator'], ok: 201 },
  { route: 'PATCH /api/consultations/:id/responses/:responseId', url: (c) => `/api/consultations/${c.target.consultationId}/responses/${c.target.responseId}`, body: () => ({ status: 'approved' }), target: 'pendingResponse', allow: ['moderatorA', 'operator'], ok: 200 },
  { route: 'POST /api/consultations/:id/publish-layer', url: (c) => `/api/consultations/${c.target.consultationId}/publish-layer`, target: 'approvedResponse', allow: PUBLISHERS_OF_A, ok: 200 },
  { route: 'POST /api/sources/inspect', url: () => '/api/sources/inspect', body: (c) => ({ url: c.sourceUrl }), target: 'none', allow: ['tokenB', 'userB', ...PUBLISHERS_OF_A], ok: 200, readOnly: true },
  { route: 'PUT /api/layers/:slug/source', url: layerUrl('/source'), body: (c) => ({ url: c.sourceUrl }), target: 'published', allow: PUBLISHERS_OF_A, ok: 201 },
  { route: 'DELETE /api/layers/:slug/source', url: layerUrl('/source'), target: 'withSource', allow: PUBLISHERS_OF_A, ok: 204 },
  { route: 'POST /api/layers/:slug/harvest', url: layerUrl('/harvest'), target: 'withSource', allow: PUBLISHERS_OF_A, ok: 202 },
];

/** Writes the matrix does not try, and why. */
const NOT_IN_MATRIX: Record<string, string> = {
  'POST /api/session': 'signing in: the credentials are the body, so there is no caller to refuse (accounts tests cover lockout, limits and cross-site sign-in)',
};

const expectedStatus = (r: WriteRoute, c: Caller) => (r.allow.includes(c) ? r.ok : (r.otherwise?.[c] ?? REFUSED[c]));

const env = useTestApp();
let callers: Callers;
let source: FixtureServer;
let make: ReturnType<typeof targets>;
const sharedTargets = new Map<WriteRoute, Promise<Partial<Target>>>();

beforeAll(async () => {
  callers = await createCallers(env.t);
  source = await startFixtureServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/geo+json' }).end(twoPoints('harvested')));
  make = targets(env.t, callers.a, () => `${source.origin}/points.geojson`);
});
afterAll(() => source?.close());

function send(r: WriteRoute, c: Ctx, headers: Headers) {
  const method = r.route.split(' ')[0]!.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
  const req = request(env.t.app)[method](r.url(c)).set(headers);
  const body = r.body?.(c);
  if (typeof body === 'string') return req.set('Content-Type', 'application/geo+json').send(body);
  return body === undefined ? req : req.send(body);
}

/** The request's status, and the tables it changed once harvests and tile builds it started have finished. */
async function attempt(r: WriteRoute, caller: Caller) {
  const succeeds = r.allow.includes(caller);
  if (!succeeds && !sharedTargets.has(r)) sharedTargets.set(r, make[r.target]());
  const target = await (succeeds ? make[r.target]() : sharedTargets.get(r)!);
  const headers = await callers.headers(caller, succeeds);
  await settle(env.t);
  const before = await snapshotDatabase(env.t.deps.db.knex);
  const res = await send(r, { a: callers.a.organisation, target, sourceUrl: `${source.origin}/points.geojson` }, headers);
  await settle(env.t);
  return { res, changed: changedTables(before, await snapshotDatabase(env.t.deps.db.knex)) };
}

function sentence(r: WriteRoute, c: Caller): string {
  const status = expectedStatus(r, c);
  if (r.allow.includes(c)) return `lets ${CALLER_NAMES[c]} succeed with ${status}${r.readOnly ? ', changing nothing' : ''}`;
  return `${status >= 400 ? 'refuses' : 'answers'} ${CALLER_NAMES[c]} with ${status} and changes nothing`;
}

describe.each(ROUTES.map((r) => [r.variant ? `${r.route} (${r.variant})` : r.route, r] as const))('%s', (_name, r) => {
  it.each(CALLERS.map((c) => [sentence(r, c), c] as const))('%s', async (_sentence, caller) => {
    const { res, changed } = await attempt(r, caller);
    expect(res.status, JSON.stringify(res.body)).toBe(expectedStatus(r, caller));
    if (res.status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    if (r.allow.includes(caller) && !r.readOnly) expect(changed, 'a success the snapshot cannot see').not.toEqual([]);
    else expect(changed).toEqual([]);
  });
});

describe('the matrix', () => {
  it('lists every route of the app that changes something, and no route the app lacks', () => {
    const listed = new Set([...ROUTES.map((r) => r.route), ...Object.keys(NOT_IN_MATRIX)]);
    expect(writeRoutesOf(env.t.app)).toEqual([...listed].sort());
  });

  it("refuses organisation B's publisher naming A's token under B's own organisation (404), and changes nothing", async () => {
    const { tokenId } = await make.liveToken();
    const headers = await callers.headers('userB', false);
    const before = await snapshotDatabase(env.t.deps.db.knex);
    await request(env.t.app).delete(`/api/organisations/${callers.b.organisation}/tokens/${tokenId}`).set(headers).expect(404);
    expect(changedTables(before, await snapshotDatabase(env.t.deps.db.knex))).toEqual([]);
  });
});
