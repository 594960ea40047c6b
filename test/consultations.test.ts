import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, movableClock, signIn, withSession } from './helpers/accounts';
import { consultationBody, createConsultation, INSIDE, OUTSIDE, pointComment, respond } from './helpers/consultations';
import { bearer, createTestApp, featureCollection, putData, type TestApp, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

describe('consultations: made by an organisation’s publishers, read by anyone', () => {
  it('creates a consultation in both languages that anyone can read, open now, with no responses yet', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    expect(c.id).toMatch(/^c-[0-9a-f]{12}$/);
    const read = await request(ctx.t.app).get(`/api/consultations/${c.id}`).expect(200);
    expect(read.body).toMatchObject({ organisation: ctx.pub.organisation, organisationName: { en: `${ctx.pub.organisation} Council` }, title: { cy: 'Rhwydwaith teithio llesol' }, state: 'open', commentKinds: ['point', 'line'], counts: { approved: 0 } });
    expect(read.body.area.type).toBe('MultiPolygon');
    const list = await request(ctx.t.app).get(`/api/consultations?organisation=${ctx.pub.organisation}`).expect(200);
    expect(list.body.consultations.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('refuses a consultation that closes before it opens, an invalid area, an unpublished layer and a choice without options, naming the field', async () => {
    const post = (overrides: Record<string, unknown>) => request(ctx.t.app).post('/api/consultations').set(bearer(ctx.pub.token)).send(consultationBody(overrides));
    const closes = await post({ closesAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }).expect(400);
    expect(closes.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(closes.body.detail).toMatch(/closesAt/);
    const bowTie = { type: 'Polygon', coordinates: [[[-3.3, 51.4], [-3.1, 51.6], [-3.1, 51.4], [-3.3, 51.6], [-3.3, 51.4]]] };
    expect((await post({ area: bowTie }).expect(400)).body.detail).toMatch(/area: the polygon is not valid: Self-intersection/);
    expect((await post({ layers: ['no-such-layer'] }).expect(400)).body.detail).toMatch(/no published layer "no-such-layer"/);
    expect((await post({ questions: [{ id: 'q', text: { en: 'Pick' }, type: 'choice' }] }).expect(400)).body.detail).toMatch(/questions/);
  });

  it('lets the organisation’s publishers change it, and nobody else', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const patch = { title: { en: 'Active travel network, second round' } };
    await request(ctx.t.app).patch(`/api/consultations/${c.id}`).send(patch).expect(401);
    const other = await ctx.t.createPublisher('other');
    await request(ctx.t.app).patch(`/api/consultations/${c.id}`).set(bearer(other.token)).send(patch).expect(403);
    const moderator = await signIn(ctx.t.app, await createUser(ctx.t.app, ctx.pub.organisation, ['moderator']));
    await request(ctx.t.app).patch(`/api/consultations/${c.id}`).set(withSession(moderator)).send(patch).expect(403);
    const ok = await request(ctx.t.app).patch(`/api/consultations/${c.id}`).set(bearer(ctx.pub.token)).send(patch).expect(200);
    expect(ok.body.title.en).toBe('Active travel network, second round');
    await request(ctx.t.app).patch(`/api/consultations/${c.id}`).set(bearer(ctx.pub.token)).send({ closesAt: '2020-01-01T00:00:00Z' }).expect(400);
  });

  it('takes comments only inside its area and only of the kinds it allows, saying so in the citizen’s language', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token, { commentKinds: ['point'] });
    const outside = await respond(ctx.t.app, c.id, pointComment('Far away', OUTSIDE, { lang: 'cy' })).expect(400);
    expect(outside.body).toMatchObject({ code: 'outside-area', field: 'geometry' });
    expect(outside.body.detail).toMatch(/y tu allan i’r ardal/);
    expect(outside.body.messages.en).toMatch(/outside the area/);
    const line = await respond(ctx.t.app, c.id, { kind: 'line', geometry: { type: 'LineString', coordinates: [INSIDE, [-3.17, 51.49]] }, comment: 'Extend this' }).expect(400);
    expect(line.body.code).toBe('kind-not-allowed');
    const ok = await respond(ctx.t.app, c.id, pointComment('This junction is dangerous')).expect(201);
    expect(ok.body).toMatchObject({ status: 'pending' });
    expect(ok.body.receipt).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('refuses a line that leaves the area, and one with a single point', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const leaving = { kind: 'line', geometry: { type: 'LineString', coordinates: [INSIDE, OUTSIDE] }, comment: 'Extend this route north' };
    expect((await respond(ctx.t.app, c.id, leaving).expect(400)).body.code).toBe('outside-area');
    const single = { kind: 'line', geometry: { type: 'LineString', coordinates: [INSIDE] }, comment: 'A line of one' };
    expect((await respond(ctx.t.app, c.id, single).expect(400)).body.code).toBe('bad-geometry');
    expect((await respond(ctx.t.app, c.id, { kind: 'point', comment: 'Nowhere' }).expect(400)).body.code).toBe('needs-geometry');
  });

  it('records a picked feature of a consulted layer with the layer, its version and the feature id', async () => {
    const routes = await ctx.t.createLayer(ctx.pub.token);
    const section = (id: string, coords: number[][]) => ({ type: 'Feature', id, properties: { name: id }, geometry: { type: 'LineString', coordinates: coords } });
    await putData(ctx.t.app, routes, ctx.pub.token, featureCollection([section('s1', [[-3.2, 51.48], [-3.19, 51.49]]), section('far', [[-4, 52.4], [-4.01, 52.41]])])).expect(201);
    const other = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, other, ctx.pub.token, featureCollection([section('o1', [[-3.2, 51.48], [-3.19, 51.49]])])).expect(201);
    const c = await createConsultation(ctx.t.app, ctx.pub.token, { commentKinds: ['feature'], layers: [routes] });
    const picked = await respond(ctx.t.app, c.id, { kind: 'feature', feature: { layer: routes, id: 's1' }, comment: 'Needs lighting' }).expect(201);
    const own = await request(ctx.t.app).get(`/api/consultations/${c.id}/responses/${picked.body.id}`).set('X-Response-Receipt', picked.body.receipt).expect(200);
    expect(own.body).toMatchObject({ status: 'pending', kind: 'feature', layer: routes, layerVersion: 1, featureId: 's1', geometry: { type: 'LineString', coordinates: [[-3.2, 51.48], [-3.19, 51.49]] } });
    expect((await respond(ctx.t.app, c.id, { kind: 'feature', feature: { layer: routes, id: 'nope' }, comment: 'x' }).expect(400)).body.code).toBe('unknown-feature');
    expect((await respond(ctx.t.app, c.id, { kind: 'feature', feature: { layer: other, id: 'o1' }, comment: 'x' }).expect(400)).body.code).toBe('unknown-feature');
    expect((await respond(ctx.t.app, c.id, { kind: 'feature', feature: { layer: routes, id: 'far' }, comment: 'x' }).expect(400)).body.code).toBe('outside-area');
    // The receipt is needed to see one's own response; without it there is nothing to see.
    await request(ctx.t.app).get(`/api/consultations/${c.id}/responses/${picked.body.id}`).expect(404);
  });
});

describe('features without ids of their own', () => {
  it('are picked by their row number, as the OGC API and the tiles name them', async () => {
    const routes = await ctx.t.createLayer(ctx.pub.token);
    const unnamed = (coords: number[][]) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } });
    await putData(ctx.t.app, routes, ctx.pub.token, featureCollection([unnamed([[-3.2, 51.48], [-3.19, 51.49]]), unnamed([[-3.18, 51.5], [-3.17, 51.51]])])).expect(201);
    const second = (await request(ctx.t.app).get(`/ogc/collections/${routes}/items`).expect(200)).body.features[1];
    const c = await createConsultation(ctx.t.app, ctx.pub.token, { commentKinds: ['feature'], layers: [routes] });
    const picked = await respond(ctx.t.app, c.id, { kind: 'feature', feature: { layer: routes, id: second.id }, comment: 'This one' }).expect(201);
    const own = await request(ctx.t.app).get(`/api/consultations/${c.id}/responses/${picked.body.id}`).set('X-Response-Receipt', picked.body.receipt).expect(200);
    expect(own.body).toMatchObject({ featureId: String(second.id), geometry: { coordinates: [[-3.18, 51.5], [-3.17, 51.51]] } });
  });
});

describe('open and close dates, by the server’s clock', () => {
  const clock = movableClock();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, {}, clock.now);
  });
  afterAll(() => t?.close());

  it('refuses comments before it opens and after it closes, in English and Welsh', async () => {
    const pub = await t.createPublisher();
    const hour = 3_600_000;
    const c = await createConsultation(t.app, pub.token, { opensAt: new Date(Date.now() + hour).toISOString(), closesAt: new Date(Date.now() + 3 * hour).toISOString() });
    expect((await request(t.app).get(`/api/consultations/${c.id}`).expect(200)).body.state).toBe('scheduled');
    const early = await respond(t.app, c.id, pointComment('Too early', INSIDE, { lang: 'cy' })).expect(403);
    expect(early.body).toMatchObject({ code: 'not-open' });
    expect(early.body.detail).toMatch(/^Mae’r ymgynghoriad hwn yn agor ar/);
    clock.advance(2 * hour);
    await respond(t.app, c.id, pointComment('Just in time')).expect(201);
    clock.advance(2 * hour);
    const late = await respond(t.app, c.id, pointComment('Too late')).expect(403);
    expect(late.body.code).toBe('closed');
    expect(late.body.detail).toMatch(/^This consultation closed on/);
    expect((await request(t.app).get(`/api/consultations/${c.id}`).expect(200)).body.state).toBe('closed');
  });
});
