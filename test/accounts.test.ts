import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createUser, movableClock, PASSWORD, postSignIn, sessionSetCookie, signIn, withSession } from './helpers/accounts';
import { ADMIN_TOKEN, bearer, createTestApp, type TestApp } from './helpers/test-app';

const REFUSED = 'The email or password is wrong, or the account is locked for a while after too many attempts.';
const MINUTE = 60_000;

let t: TestApp;
let org: string;
const clock = movableClock();

beforeAll(async () => {
  t = await createTestApp({}, {}, clock.now);
  org = (await t.createPublisher('accounts')).organisation;
});
afterAll(() => t.close());

const sessionRows = () => t.deps.db.knex('sessions').select<Array<{ id_hash: string; user_id: number; last_seen_at: Date }>>('id_hash', 'user_id', 'last_seen_at');
const userRow = (email: string) => t.deps.db.knex('users').where({ email }).first<{ id: number; password_hash: string; failed_sign_ins: number; locked_until: Date | null }>();

describe('signing in and out', () => {
  it('signs in with email and password: an HttpOnly SameSite=Lax cookie, the user, and a CSRF token', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const res = await postSignIn(t.app, email.toUpperCase(), PASSWORD).expect(201);
    expect(res.body.user).toMatchObject({ email, organisation: org, roles: ['publisher'], name: `Officer ${email}` });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = sessionSetCookie(res.headers)!;
    expect(cookie).toMatch(/^haenau_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    // Only the SHA-256 of the id is stored.
    const id = /^haenau_session=([^;]*)/.exec(cookie)![1]!;
    const { id: userId } = (await userRow(email))!;
    const rows = (await sessionRows()).filter((r) => r.user_id === userId);
    expect(rows.map((r) => r.id_hash)).toEqual([createHash('sha256').update(id).digest('hex')]);

    const me = await request(t.app).get('/api/session').set('Cookie', `haenau_session=${id}`).expect(200);
    expect(me.body).toEqual({ user: res.body.user, csrfToken: res.body.csrfToken });
  });

  it('marks the cookie Secure when the request came over HTTPS', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const res = await postSignIn(t.app, email, PASSWORD).set('X-Forwarded-Proto', 'https').expect(201);
    expect(sessionSetCookie(res.headers)).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('signs out: the session row is deleted and the cookie cleared', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    const res = await request(t.app).delete('/api/session').set(withSession(s)).expect(204);
    expect(sessionSetCookie(res.headers)).toMatch(/^haenau_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect((await sessionRows()).map((r) => r.id_hash)).not.toContain(createHash('sha256').update(s.id).digest('hex'));
    const after = await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(401);
    expect(sessionSetCookie(after.headers)).toMatch(/^haenau_session=;/);
  });

  it('answers a wrong password and an unknown email alike, and spends a hash on both', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const wrong = await postSignIn(t.app, email, 'not the password at all').expect(401);
    const started = Date.now();
    const unknown = await postSignIn(t.app, 'nobody@example.org', 'not the password at all').expect(401);
    expect(Date.now() - started).toBeGreaterThan(20); // scrypt ran; a bare lookup takes a few ms
    for (const res of [wrong, unknown]) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toBe(REFUSED);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    }
  });

  it('treats a forged cookie as anonymous and clears it; a Bearer header wins over a cookie', async () => {
    const forged = await request(t.app).get('/api/layers').set('Cookie', `haenau_session=${'A'.repeat(43)}`).expect(200);
    expect(sessionSetCookie(forged.headers)).toMatch(/^haenau_session=;/);
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).set(bearer(ADMIN_TOKEN)).expect(401);
  });
});

describe('sign-in protection', () => {
  it('locks an account after 5 failures, refuses even the right password, and opens it 15 minutes later', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const ip = '203.0.113.10';
    for (let i = 0; i < 5; i++) expect((await postSignIn(t.app, email, `wrong guess number ${i}`, ip)).status).toBe(401);
    expect((await userRow(email))!.locked_until).not.toBeNull();
    const locked = await postSignIn(t.app, email, PASSWORD, ip).expect(401);
    expect(locked.body.detail).toBe(REFUSED);
    clock.advance(14 * MINUTE);
    await postSignIn(t.app, email, PASSWORD, ip).expect(401);
    clock.advance(2 * MINUTE);
    await postSignIn(t.app, email, PASSWORD, ip).expect(201);
    expect(await userRow(email)).toMatchObject({ failed_sign_ins: 0, locked_until: null });
  });

  it('allows 20 failed sign-ins per address in 10 minutes, then 429 with Retry-After, counted in the database', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const ip = '203.0.113.20';
    // In parallel: the count is taken under a lock, so none slips past it.
    const statuses = await Promise.all(Array.from({ length: 25 }, (_, i) => postSignIn(t.app, `nobody-${i}@example.org`, 'a wrong password', ip).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const limited = await postSignIn(t.app, email, PASSWORD, ip).expect(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.body.title).toBe('Too many attempts');
    expect(await countRows(t.deps.db.knex, 'sign_in_attempts', { key: `ip:${ip}` })).toBe(20);
    await postSignIn(t.app, email, PASSWORD, '203.0.113.21').expect(201); // another address is unaffected
    clock.advance(10 * MINUTE + 1000);
    await postSignIn(t.app, email, PASSWORD, ip).expect(201);
  });

  it('does not count successful sign-ins against the address', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    for (let i = 0; i < 22; i++) await postSignIn(t.app, email, PASSWORD, '203.0.113.30').expect(201);
  });
});

describe('passwords', () => {
  it('stores scrypt hashes with their parameters and never returns them', async () => {
    const email = `stored-${Date.now()}@example.org`;
    const created = await request(t.app).post(`/api/organisations/${org}/users`).set(bearer(ADMIN_TOKEN)).send({ email, name: 'Hash', roles: ['admin'], password: PASSWORD }).expect(201);
    const listed = await request(t.app).get(`/api/organisations/${org}/users`).set(bearer(ADMIN_TOKEN)).expect(200);
    const signedIn = await postSignIn(t.app, email, PASSWORD).expect(201);
    for (const body of [created.body, listed.body, signedIn.body]) expect(JSON.stringify(body)).not.toMatch(/scrypt\$|"\w*(password|hash)\w*":/i);
    expect(listed.body.users.map((u: { email: string }) => u.email)).toContain(email);
    const { password_hash } = (await userRow(email))!;
    expect(password_hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  });

  it('refuses short and common passwords, and a second account for the same email', async () => {
    const post = (email: string, password: string) => request(t.app).post(`/api/organisations/${org}/users`).set(bearer(ADMIN_TOKEN)).send({ email, name: 'X', roles: ['publisher'], password });
    expect((await post('short@example.org', 'elevenchars').expect(400)).body.detail).toMatch(/at least 12/);
    expect((await post('common@example.org', 'Password1234').expect(400)).body.detail).toMatch(/most used/);
    const email = await createUser(t.app, org, ['publisher']);
    await post(email.toUpperCase(), PASSWORD).expect(409);
  });

  it('changes the password with the current one, and ends every other session of the user', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const here = await signIn(t.app, email);
    const elsewhere = await signIn(t.app, email);
    const change = (body: object) => request(t.app).put('/api/session/password').set(withSession(here)).send(body);
    await change({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' }).expect(403);
    await change({ currentPassword: PASSWORD, newPassword: 'too short' }).expect(400);
    await request(t.app).get('/api/session').set('Cookie', elsewhere.cookie).expect(200);
    await change({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' }).expect(204);
    await request(t.app).get('/api/session').set('Cookie', elsewhere.cookie).expect(401);
    await request(t.app).get('/api/session').set('Cookie', here.cookie).expect(200);
    await postSignIn(t.app, email, PASSWORD).expect(401);
    await postSignIn(t.app, email, 'a brand new passphrase').expect(201);
  });
});

describe('session lifetime', () => {
  it('ends a session left idle for 2 hours: anonymous, cookie cleared, row gone', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    clock.advance(119 * MINUTE);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(200); // restarts the idle clock
    clock.advance(119 * MINUTE);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(200);
    clock.advance(121 * MINUTE);
    const res = await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(401);
    expect(sessionSetCookie(res.headers)).toMatch(/^haenau_session=;/);
    const slug = await t.createLayer((await t.createPublisher()).token);
    await request(t.app).patch(`/api/layers/${slug}`).set(withSession(s)).send({ title: { en: 'x' } }).expect(401);
    const { id } = (await userRow(email))!;
    expect((await sessionRows()).filter((r) => r.user_id === id)).toEqual([]);
  });

  it('writes last_seen_at at most once a minute', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    const lastSeen = async () => (await sessionRows()).find((r) => r.id_hash === createHash('sha256').update(s.id).digest('hex'))!.last_seen_at.getTime();
    const first = await lastSeen();
    clock.advance(30_000);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(200);
    expect(await lastSeen()).toBe(first);
    clock.advance(31_000);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(200);
    expect(await lastSeen()).toBeGreaterThanOrEqual(first + 61_000);
  });

  it('ends every session 12 hours after sign-in, however busy', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    for (let h = 0; h < 11; h++) {
      clock.advance(60 * MINUTE);
      await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(200);
    }
    clock.advance(61 * MINUTE);
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(401);
  });

  it('ends the sessions of a disabled account and refuses its sign-in', async () => {
    const email = await createUser(t.app, org, ['publisher']);
    const s = await signIn(t.app, email);
    await t.deps.db.knex('users').where({ email }).update({ disabled_at: clock.now() });
    await request(t.app).get('/api/session').set('Cookie', s.cookie).expect(401);
    expect((await postSignIn(t.app, email, PASSWORD).expect(401)).body.detail).toBe(REFUSED);
  });
});
