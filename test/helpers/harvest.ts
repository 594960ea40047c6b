import type { App } from '../../server/src/app';
import request from 'supertest';
import { bearer } from './test-app';

/** Polls a harvest (as a progress display would) until it has finished; returns its last state. */
export async function harvestFinished(app: App, href: string, token: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(href).set(bearer(token)).expect(200);
    if (res.body.status !== 'queued' && res.body.status !== 'running') return res.body;
    if (Date.now() > until) throw new Error(`harvest ${href} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** PUT a layer's source and wait for its first harvest. */
export async function registerAndHarvest(app: App, slug: string, token: string, source: Record<string, unknown>) {
  const res = await request(app).put(`/api/layers/${slug}/source`).set(bearer(token)).send(source);
  if (res.status !== 201 && res.status !== 200) throw new Error(`registering ${JSON.stringify(source)}: ${res.status} ${JSON.stringify(res.body)}`);
  return { registration: res.body, harvest: await harvestFinished(app, res.body.harvest.href, token) };
}

/** POST …/harvest and wait for it. */
export async function harvestNow(app: App, slug: string, token: string) {
  const res = await request(app).post(`/api/layers/${slug}/harvest`).set(bearer(token)).expect(202);
  return harvestFinished(app, res.body.href, token);
}
