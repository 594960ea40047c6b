import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, withSession } from './helpers/accounts';
import { type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { registerAndHarvest } from './helpers/harvest';
import { bearer, featureCollection, pointFeature, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

describe('an organisation’s records are readable by all its people, changeable only by its publishers', () => {
  let council: FixtureServer;
  let slug: string;

  beforeAll(async () => {
    council = await startFixtureServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/geo+json' }).end(JSON.stringify(featureCollection([pointFeature('a', -3.2, 51.5)]))));
    slug = await ctx.t.createLayer(ctx.pub.token);
    await registerAndHarvest(ctx.t.app, slug, ctx.pub.token, { url: `${council.origin}/a.geojson`, schedule: 'manual' });
  });
  afterAll(() => council?.close());

  it('lets a moderator read uploads, harvests and health, but not harvest', async () => {
    const moderator = await signIn(ctx.t.app, await createUser(ctx.t.app, ctx.pub.organisation, ['moderator']));
    for (const path of [`/api/layers/${slug}/health`, `/api/layers/${slug}/harvests`, `/api/layers/${slug}/uploads`, `/api/layers/${slug}/source`, `/api/organisations/${ctx.pub.organisation}/sources`]) {
      const res = await request(ctx.t.app).get(path).set(withSession(moderator));
      expect(res.status, path).toBe(200);
    }
    const health = await request(ctx.t.app).get(`/api/layers/${slug}/health`).set(withSession(moderator)).expect(200);
    expect(health.body.status).toBe('ok');
    await request(ctx.t.app).post(`/api/layers/${slug}/harvest`).set(withSession(moderator)).expect(403);
  });

  it('keeps them from other organisations and from anonymous callers', async () => {
    const other = await ctx.t.createPublisher('elsewhere');
    const outsider = await signIn(ctx.t.app, await createUser(ctx.t.app, other.organisation, ['publisher']));
    await request(ctx.t.app).get(`/api/layers/${slug}/health`).set(withSession(outsider)).expect(403);
    await request(ctx.t.app).get(`/api/layers/${slug}/uploads`).set(bearer(other.token)).expect(403);
    await request(ctx.t.app).get(`/api/organisations/${ctx.pub.organisation}/sources`).set(bearer(other.token)).expect(403);
    await request(ctx.t.app).get(`/api/layers/${slug}/harvests`).expect(401);
  });
});
