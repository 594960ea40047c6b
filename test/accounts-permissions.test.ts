import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createUser, PASSWORD, postSignIn, sessionSetCookie, signIn, type SignedIn, withSession } from './helpers/accounts';
import { ADMIN_TOKEN, bearer, createTestApp, featureCollection, pointFeature, type Publisher, type TestApp } from './helpers/test-app';

let t: TestApp;
let a: Publisher;
let b: Publisher;
let layerA: string;
let layerB: string;
let publisherA: SignedIn;
let moderatorA: SignedIn;
let adminA: SignedIn;
let publisherB: SignedIn;

const data = (name: string) => JSON.stringify(featureCollection([pointFeature('p', -3.2, 51.5, { name })]));

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = [await t.createPublisher('org-a'), await t.createPublisher('org-b')];
  layerA = await t.createLayer(a.token);
  layerB = await t.createLayer(b.token);
  for (const [slug, token] of [[layerA, a.token], [layerB, b.token]] as const) {
    await request(t.app).put(`/api/layers/${slug}/data`).set(bearer(token)).set('Content-Type', 'application/geo+json').send(data('first')).expect(201);
  }
  publisherA = await signIn(t.app, await createUser(t.app, a.organisation, ['publisher']));
  moderatorA = await signIn(t.app, await createUser(t.app, a.organisation, ['moderator']));
  adminA = await signIn(t.app, await createUser(t.app, a.organisation, ['admin']));
  publisherB = await signIn(t.app, await createUser(t.app, b.organisation, ['publisher']));
});
afterAll(() => t.close());

/** What a write could have changed: the title and the served version of a layer. */
async function snapshot(slug: string) {
  const res = await request(t.app).get(`/api/layers/${slug}`).expect(200);
  return { title: res.body.title, version: res.body.currentVersion?.version, versions: res.body.versions?.length };
}

const putData = (slug: string, name: string) => request(t.app).put(`/api/layers/${slug}/data`).set('Content-Type', 'application/geo+json').send(data(name));

describe('CSRF protection on cookie-authenticated writes', () => {
  it.each([
    ['missing', undefined],
    ['wrong', 'x'.repeat(43)],
  ])('refuses a write with the CSRF token %s (403) and changes nothing', async (_case, token) => {
    const before = await snapshot(layerA);
    const patch = request(t.app).patch(`/api/layers/${layerA}`).set('Cookie', publisherA.cookie).send({ title: { en: 'Changed' } });
    const upload = putData(layerA, 'second').set('Cookie', publisherA.cookie);
    for (const req of [patch, upload]) {
      const res = await (token ? req.set('X-CSRF-Token', token) : req);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(/X-CSRF-Token/);
    }
    expect(await snapshot(layerA)).toEqual(before);
    // Signing out is a write too: without the token the session lives on.
    await request(t.app).delete('/api/session').set('Cookie', publisherA.cookie).expect(403);
    await request(t.app).get('/api/session').set('Cookie', publisherA.cookie).expect(200);
  });

  it('refuses another session’s CSRF token', async () => {
    const res = await request(t.app).patch(`/api/layers/${layerA}`).set('Cookie', publisherA.cookie).set('X-CSRF-Token', adminA.csrf).send({ title: { en: 'Changed' } });
    expect(res.status).toBe(403);
  });

  it('needs no CSRF token with a Bearer token, which wins over a cookie', async () => {
    await request(t.app).patch(`/api/layers/${layerB}`).set('Cookie', publisherA.cookie).set(bearer(b.token)).send({ title: { en: 'Renamed by B' } }).expect(200);
  });
});

describe('a cross-site sign-in', () => {
  it('is refused by Origin or Sec-Fetch-Site, and starts no session', async () => {
    const email = await createUser(t.app, a.organisation, ['publisher']);
    const before = await countRows(t.deps.db.knex, 'sessions');
    for (const headers of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }]) {
      const res = await postSignIn(t.app, email, PASSWORD).set('Host', 'haenau.example').set(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    }
    expect(await countRows(t.deps.db.knex, 'sessions')).toBe(before);
    await postSignIn(t.app, email, PASSWORD).set('Host', 'haenau.example').set({ Origin: 'https://haenau.example', 'Sec-Fetch-Site': 'same-origin' }).expect(201);
  });
});

describe('what a signed-in user may change', () => {
  it('publishes to its own organisation’s layer with the cookie and CSRF token, recorded as the user', async () => {
    await request(t.app).patch(`/api/layers/${layerA}`).set(withSession(publisherA)).send({ title: { en: 'Renamed by a user' } }).expect(200);
    const res = await putData(layerA, 'by a user').set(withSession(publisherA)).expect(201);
    const versions = await request(t.app).get(`/api/layers/${layerA}/versions`).expect(200);
    const email = (await request(t.app).get('/api/session').set('Cookie', publisherA.cookie)).body.user.email;
    expect(versions.body.versions.find((v: { version: number }) => v.version === res.body.version).createdBy).toBe(`${a.organisation}/user:${email}`);
    const created = await request(t.app).post('/api/layers').set(withSession(publisherA)).send({ slug: `by-user-${Date.now()}`, title: { en: 'Mine' } }).expect(201);
    expect(created.body.organisation).toBe(a.organisation);
  });

  it('cannot touch another organisation’s layer (403), and nothing changes', async () => {
    const before = await snapshot(layerB);
    const patch = await request(t.app).patch(`/api/layers/${layerB}`).set(withSession(publisherA)).send({ title: { en: 'Hijacked' } });
    expect(patch.status).toBe(403);
    expect(patch.body.detail).toContain(a.organisation);
    expect((await putData(layerB, 'hijack').set(withSession(publisherA))).status).toBe(403);
    expect((await request(t.app).delete(`/api/layers/${layerB}`).set(withSession(publisherA))).status).toBe(403);
    expect((await request(t.app).post('/api/layers').set(withSession(publisherA)).send({ slug: 'sneaky', organisation: b.organisation, title: { en: 'x' } })).status).toBe(403);
    expect(await snapshot(layerB)).toEqual(before);
  });

  it('as a moderator alone, cannot publish or change layers', async () => {
    const before = await snapshot(layerA);
    expect((await putData(layerA, 'moderated').set(withSession(moderatorA))).status).toBe(403);
    const patch = await request(t.app).patch(`/api/layers/${layerA}`).set(withSession(moderatorA)).send({ title: { en: 'Moderated' } });
    expect(patch.status).toBe(403);
    expect(patch.body.detail).toMatch(/publisher role/);
    expect((await request(t.app).post('/api/layers').set(withSession(moderatorA)).send({ slug: 'mod-layer', title: { en: 'x' } })).status).toBe(403);
    expect((await request(t.app).post('/api/sources/inspect').set(withSession(moderatorA)).send({ url: 'http://127.0.0.1:1/' })).status).toBe(403);
    expect(await snapshot(layerA)).toEqual(before);
  });

  it('sees its organisation’s drafts, not another’s', async () => {
    const draft = await t.createLayer(b.token);
    await request(t.app).get(`/api/layers/${draft}`).set('Cookie', publisherB.cookie).expect(200);
    await request(t.app).get(`/api/layers/${draft}`).set('Cookie', moderatorA.cookie).expect(404);
  });
});

describe('an organisation’s people and API tokens', () => {
  it('lets only the operator create users', async () => {
    const body = { email: 'new-person@example.org', name: 'New', roles: ['publisher'], password: PASSWORD };
    await request(t.app).post(`/api/organisations/${a.organisation}/users`).send(body).expect(401);
    await request(t.app).post(`/api/organisations/${a.organisation}/users`).set(bearer(a.token)).send(body).expect(403);
    await request(t.app).post(`/api/organisations/${a.organisation}/users`).set(withSession(adminA)).send(body).expect(403);
    await request(t.app).post(`/api/organisations/${a.organisation}/users`).set(bearer(ADMIN_TOKEN)).send({ ...body, roles: ['boss'] }).expect(400);
    await request(t.app).post('/api/organisations/no-such-org/users').set(bearer(ADMIN_TOKEN)).send(body).expect(404);
  });

  it('lists users to the operator and the organisation’s admins only', async () => {
    const listed = await request(t.app).get(`/api/organisations/${a.organisation}/users`).set('Cookie', adminA.cookie).expect(200);
    expect(listed.body.users.length).toBeGreaterThanOrEqual(3);
    await request(t.app).get(`/api/organisations/${a.organisation}/users`).set(bearer(ADMIN_TOKEN)).expect(200);
    await request(t.app).get(`/api/organisations/${a.organisation}/users`).set('Cookie', publisherA.cookie).expect(403);
    await request(t.app).get(`/api/organisations/${b.organisation}/users`).set('Cookie', adminA.cookie).expect(403);
    await request(t.app).get(`/api/organisations/${a.organisation}/users`).set(bearer(a.token)).expect(403);
  });

  it('lets a signed-in publisher create, list and revoke its organisation’s tokens; the secret is shown once', async () => {
    const tokens = `/api/organisations/${a.organisation}/tokens`;
    const issued = await request(t.app).post(tokens).set(withSession(publisherA)).send({ name: 'GIS server' }).expect(201);
    expect(issued.body.token).toMatch(/^hnu_/);
    await request(t.app).get(`/api/layers/${layerA}/uploads`).set(bearer(issued.body.token)).expect(200);
    const listed = await request(t.app).get(tokens).set('Cookie', publisherA.cookie).expect(200);
    const mine = listed.body.tokens.find((k: { id: number }) => k.id === issued.body.id);
    expect(mine).toMatchObject({ name: 'GIS server', prefix: issued.body.prefix, revokedAt: null });
    expect(mine.createdAt).toBeTruthy();
    expect(mine.lastUsedAt).toBeTruthy();
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);
    await request(t.app).delete(`${tokens}/${issued.body.id}`).set(withSession(publisherA)).expect(204);
    await request(t.app).get(`/api/layers/${layerA}/uploads`).set(bearer(issued.body.token)).expect(401);
    const after = await request(t.app).get(tokens).set('Cookie', publisherA.cookie).expect(200);
    expect(after.body.tokens.find((k: { id: number }) => k.id === issued.body.id).revokedAt).toBeTruthy();
    await request(t.app).delete(`${tokens}/${issued.body.id}`).set(withSession(publisherA)).expect(404);
  });

  it('keeps tokens from other organisations, moderators and tokens themselves', async () => {
    const tokens = `/api/organisations/${a.organisation}/tokens`;
    await request(t.app).get(tokens).set('Cookie', publisherB.cookie).expect(403);
    await request(t.app).post(tokens).set(withSession(publisherB)).send({ name: 'x' }).expect(403);
    await request(t.app).get(tokens).set('Cookie', moderatorA.cookie).expect(403);
    await request(t.app).post(tokens).set(bearer(a.token)).send({ name: 'x' }).expect(403);
    await request(t.app).get(tokens).expect(401);
    const [first] = (await request(t.app).get(tokens).set(bearer(ADMIN_TOKEN)).expect(200)).body.tokens.slice(-1);
    await request(t.app).delete(`${tokens}/${first.id}`).set(withSession(publisherB)).expect(403);
    await request(t.app).delete(`/api/organisations/${b.organisation}/tokens/${first.id}`).set(withSession(publisherB)).expect(404);
    await request(t.app).get(`/api/layers/${layerA}/uploads`).set(bearer(a.token)).expect(200);
  });
});
