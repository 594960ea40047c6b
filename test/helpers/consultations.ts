import type { App } from '../../server/src/app';
import request from 'supertest';
import { expect } from 'vitest';
import { bearer } from './test-app';

/** A box over central Cardiff, where the test comments go. */
export const CARDIFF: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[-3.3, 51.44], [-3.1, 51.44], [-3.1, 51.56], [-3.3, 51.56], [-3.3, 51.44]]] };
export const INSIDE: [number, number] = [-3.18, 51.48];
export const OUTSIDE: [number, number] = [-4.0, 52.4];

const hour = 3_600_000;

/** A consultation body, open now for a week, taking points and lines, with a category and two questions. */
export function consultationBody(overrides: Record<string, unknown> = {}) {
  return {
    title: { en: 'Active travel network', cy: 'Rhwydwaith teithio llesol' },
    description: { en: 'Tell us about the proposed routes.', cy: 'Dywedwch wrthym am y llwybrau arfaethedig.' },
    questions: [
      { id: 'use', text: { en: 'How often would you use it?', cy: 'Pa mor aml fyddech chi’n ei ddefnyddio?' }, type: 'choice', options: [{ id: 'daily', label: { en: 'Daily', cy: 'Bob dydd' } }, { id: 'never', label: { en: 'Never', cy: 'Byth' } }] },
      { id: 'why', text: { en: 'Why?', cy: 'Pam?' }, type: 'text' },
    ],
    categories: [
      { id: 'safety', label: { en: 'Safety', cy: 'Diogelwch' } },
      { id: 'route', label: { en: 'Route', cy: 'Llwybr' } },
    ],
    commentKinds: ['point', 'line'],
    area: CARDIFF,
    opensAt: new Date(Date.now() - hour).toISOString(),
    closesAt: new Date(Date.now() + 7 * 24 * hour).toISOString(),
    ...overrides,
  };
}

export async function createConsultation(app: App, token: string, overrides: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await request(app).post('/api/consultations').set(bearer(token)).send(consultationBody(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A citizen's response from a client address (X-Forwarded-For; the app trusts loopback proxies). */
export function respond(app: App, id: string, body: Record<string, unknown>, ip = '203.0.113.10') {
  return request(app).post(`/api/consultations/${id}/responses`).set('X-Forwarded-For', ip).send(body);
}

export const pointComment = (comment: string, at: [number, number] = INSIDE, extra: Record<string, unknown> = {}) => ({ kind: 'point', geometry: { type: 'Point', coordinates: at }, comment, ...extra });
