import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, createTestApp, featureCollection, pointFeature, putData, type TestApp } from './helpers/test-app';

let t: TestApp;
let owner: { organisation: string; token: string };
let other: { organisation: string; token: string };
let slug: string;

const data = featureCollection([pointFeature('a', -3.2, 51.5, { name: 'first' })]);

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.createPublisher('owner');
  other = await t.createPublisher('other');
  slug = await t.createLayer(owner.token);
  await putData(t.app, slug, owner.token, data).expect(201);
});
afterAll(() => t.close());

/** Every route that changes a layer, as a request builder with a fresh body. */
const writeRoutes: Array<[string, (token?: string) => request.Test]> = [
  ['PATCH /api/layers/:slug', (tok) => withAuth(request(t.app).patch(`/api/layers/${slug}`).send({ title: { en: 'Changed' } }), tok)],
  ['DELETE /api/layers/:slug', (tok) => withAuth(request(t.app).delete(`/api/layers/${slug}`), tok)],
  [
    'PUT /api/layers/:slug/data',
    (tok) => withAuth(request(t.app).put(`/api/layers/${slug}/data`).set('Content-Type', 'application/geo+json').send(JSON.stringify(featureCollection([pointFeature('z', 0, 0)]))), tok),
  ],
  ['POST /api/layers/:slug/rollback', (tok) => withAuth(request(t.app).post(`/api/layers/${slug}/rollback`).send({ version: 1 }), tok)],
  ['GET /api/layers/:slug/uploads', (tok) => withAuth(request(t.app).get(`/api/layers/${slug}/uploads`), tok)],
];

function withAuth(test: request.Test, token?: string): request.Test {
  return token ? test.set(bearer(token)) : test;
}

async function snapshot() {
  const layer = await request(t.app).get(`/api/layers/${slug}`).expect(200);
  const versions = await request(t.app).get(`/api/layers/${slug}/versions`).expect(200);
  return { title: layer.body.title, version: layer.body.currentVersion.version, versions: versions.body.versions.length };
}

describe('writing to a layer', () => {
  it.each(writeRoutes)('%s is refused with 403 for another organisation’s token and changes nothing', async (_name, send) => {
    const before = await snapshot();
    const res = await send(other.token);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toContain(other.organisation);
    expect(await snapshot()).toEqual(before);
  });

  it.each(writeRoutes)('%s is refused with 401 without a token and changes nothing', async (_name, send) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.body.title).toBe('Not signed in');
    expect(await snapshot()).toEqual(before);
  });

  it.each(writeRoutes)('%s is refused with 401 for a revoked token', async (_name, send) => {
    const issued = await t.deps.organisations.issueToken(owner.organisation, 'to revoke');
    await t.deps.organisations.revokeToken(owner.organisation, issued.id);
    const before = await snapshot();
    const res = await send(issued.token);
    expect(res.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to create a layer in another organisation', async () => {
    const res = await request(t.app)
      .post('/api/layers')
      .set(bearer(other.token))
      .send({ slug: 'sneaky-layer', organisation: owner.organisation, title: { en: 'Sneaky' } });
    expect(res.status).toBe(403);
    await request(t.app).get('/api/layers/sneaky-layer').set(bearer(ADMIN_TOKEN)).expect(404);
  });

  it('refuses to create a layer without a token', async () => {
    const res = await request(t.app).post('/api/layers').send({ slug: 'anon-layer', organisation: owner.organisation, title: { en: 'Anon' } });
    expect(res.status).toBe(401);
  });

  it('lets the owning organisation’s token make the same change', async () => {
    const res = await request(t.app).patch(`/api/layers/${slug}`).set(bearer(owner.token)).send({ title: { cy: 'Wedi newid' } });
    expect(res.status).toBe(200);
    expect(res.body.title).toEqual({ en: expect.any(String), cy: 'Wedi newid' });
  });
});

describe('operator routes', () => {
  it('refuses organisation and token creation to publishers (403) and to anonymous callers (401)', async () => {
    await request(t.app).post('/api/organisations').set(bearer(owner.token)).send({ id: 'nope-org', name: 'Nope' }).expect(403);
    await request(t.app).post('/api/organisations').send({ id: 'nope-org', name: 'Nope' }).expect(401);
    await request(t.app).post(`/api/organisations/${owner.organisation}/tokens`).set(bearer(owner.token)).send({ name: 'x' }).expect(403);
    await request(t.app).post(`/api/organisations/${owner.organisation}/tokens`).send({ name: 'x' }).expect(401);
    const orgs = await request(t.app).get('/api/organisations').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(orgs.body.organisations.map((o: { id: string }) => o.id)).not.toContain('nope-org');
  });

  it('shows a token once and stores only its hash', async () => {
    const res = await request(t.app).post(`/api/organisations/${owner.organisation}/tokens`).set(bearer(ADMIN_TOKEN)).send({ name: 'ci' }).expect(201);
    expect(res.body.token).toMatch(/^hnu_[A-Za-z0-9_-]{43}$/);
    const rows = await t.deps.db.knex('api_tokens').where({ id: res.body.id });
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
  });

  it('answers 401 for an unknown token and for a malformed Authorization header', async () => {
    const unknown = await request(t.app).get('/api/layers').set(bearer('hnu_not-a-real-token'));
    expect(unknown.status).toBe(401);
    const malformed = await request(t.app).get('/api/layers').set('Authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
    expect(malformed.body.detail).toMatch(/Bearer/);
  });
});
