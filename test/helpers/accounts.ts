import type { App } from '../../server/src/app';
import type { Knex } from 'knex';
import request from 'supertest';
import { expect } from 'vitest';
import { ADMIN_TOKEN, bearer, unique } from './test-app';

export const PASSWORD = 'correct horse battery staple';

/** Real time moved forward on demand, so lockouts and session ends are tested without sleeping. */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/** Creates a user through the operator API; returns its email. */
export async function createUser(app: App, organisation: string, roles: string[], password = PASSWORD): Promise<string> {
  const email = `${unique(roles.join('-'))}@example.org`;
  await request(app).post(`/api/organisations/${organisation}/users`).set(bearer(ADMIN_TOKEN)).send({ email, name: `Officer ${email}`, roles, password }).expect(201);
  return email;
}

export interface SignedIn {
  /** The raw session id from Set-Cookie. */
  id: string;
  /** What a browser would send back: "haenau_session=<id>". */
  cookie: string;
  csrf: string;
  setCookie: string;
}

/** Signs in from a client address (X-Forwarded-For; the app trusts loopback proxies). */
export function postSignIn(app: App, email: string, password: string, ip = '198.51.100.1') {
  return request(app).post('/api/session').set('X-Forwarded-For', ip).send({ email, password });
}

export async function signIn(app: App, email: string, password = PASSWORD, ip?: string): Promise<SignedIn> {
  const res = await postSignIn(app, email, password, ip);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const setCookie = sessionSetCookie(res.headers)!;
  const id = /^haenau_session=([^;]*)/.exec(setCookie)![1]!;
  return { id, cookie: `haenau_session=${id}`, csrf: res.body.csrfToken, setCookie };
}

/** The Set-Cookie line for the session cookie, if the answer has one. */
export function sessionSetCookie(headers: Record<string, unknown>): string | undefined {
  const all = (headers['set-cookie'] as string[] | undefined) ?? [];
  const mine = all.filter((c) => c.startsWith('haenau_session='));
  expect(mine.length).toBeLessThanOrEqual(1);
  return mine[0];
}

/** Rows of a table matching `where`. */
export async function countRows(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const rows = await knex(table).where(where).count<Array<{ n: string | number }>>({ n: '*' });
  return Number(rows[0]!.n);
}

/** Cookie and CSRF token, as the portal's own pages send them. */
export const withSession = (s: SignedIn) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf });
