import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createUser, signIn, withSession } from './helpers/accounts';
import { createConsultation, INSIDE, pointComment, respond } from './helpers/consultations';
import { bearer, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });
const moderatorOf = async (organisation: string) => withSession(await signIn(ctx.t.app, await createUser(ctx.t.app, organisation, ['moderator'])));

describe('moderation: nothing is public until the organisation’s moderators approve it', () => {
  it('keeps a response private until approved, then shows it without contact details, counted by category', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const sent = await respond(ctx.t.app, c.id, pointComment('This junction is dangerous', INSIDE, { category: 'safety', sentiment: 'oppose', answers: { use: 'daily', why: 'School run' }, name: 'Eleri Jones', email: 'eleri@example.org' })).expect(201);
    const publicList = () => request(ctx.t.app).get(`/api/consultations/${c.id}/responses`).expect(200);
    expect((await publicList()).body.responses).toEqual([]);
    const own = await request(ctx.t.app).get(`/api/consultations/${c.id}/responses/${sent.body.id}`).set('X-Response-Receipt', sent.body.receipt).expect(200);
    expect(own.body.status).toBe('pending');

    const moderator = await moderatorOf(ctx.pub.organisation);
    const queue = await request(ctx.t.app).get(`/api/consultations/${c.id}/responses?status=pending`).set(moderator).expect(200);
    expect(queue.body.responses).toEqual([expect.objectContaining({ id: sent.body.id, status: 'pending', contact: { name: 'Eleri Jones', email: 'eleri@example.org' }, answers: { use: 'daily', why: 'School run' } })]);

    const approved = await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${sent.body.id}`).set(moderator).send({ status: 'approved' }).expect(200);
    expect(approved.body.moderation).toEqual([expect.objectContaining({ action: 'approve', actor: expect.stringMatching(/moderator/) })]);
    const shown = (await publicList()).body.responses;
    expect(shown).toEqual([expect.objectContaining({ id: sent.body.id, comment: 'This junction is dangerous', category: 'safety', sentiment: 'oppose' })]);
    expect(JSON.stringify(shown)).not.toMatch(/Eleri|eleri@|status|moderation/);
    expect((await request(ctx.t.app).get(`/api/consultations/${c.id}`).expect(200)).body.counts).toEqual({ approved: 1, byCategory: { safety: 1 } });
    await respond(ctx.t.app, c.id, pointComment('Still waiting', [-3.17, 51.49])).expect(201);
    const listed = async (headers: Record<string, string>) =>
      (await request(ctx.t.app).get(`/api/consultations?organisation=${ctx.pub.organisation}`).set(headers).expect(200)).body.consultations.find((x: { id: string }) => x.id === c.id);
    expect(await listed(moderator)).toMatchObject({ counts: { approved: 1, byCategory: { safety: 1 } }, queue: { pending: 1, rejected: 0 } });
    const seen = await listed({});
    expect(seen.counts).toEqual({ approved: 1, byCategory: { safety: 1 } });
    expect(seen.queue).toBeUndefined();
    expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/responses?status=pending&limit=1`).set(moderator).expect(200)).body.numberMatched).toBe(1);
    expect((await publicList()).body.numberMatched).toBe(1);
    expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/responses/${sent.body.id}`).set('X-Response-Receipt', sent.body.receipt).expect(200)).body.status).toBe('approved');
  });

  it('serves approved responses as an ordinary layer through OGC API and tiles, and withdraws it when none is approved', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const moderator = await moderatorOf(ctx.pub.organisation);
    const a = await respond(ctx.t.app, c.id, pointComment('Add a crossing here')).expect(201);
    await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${a.body.id}`).set(moderator).send({ status: 'approved' }).expect(200);
    const layer = `${c.id}-responses`;
    const items = await request(ctx.t.app).get(`/ogc/collections/${layer}/items`).expect(200);
    expect(items.body.features).toEqual([expect.objectContaining({ id: `r${a.body.id}`, properties: expect.objectContaining({ comment: 'Add a crossing here', kind: 'point' }) })]);
    expect(JSON.stringify(items.body)).not.toMatch(/receipt|client|email/);
    const tile = await request(ctx.t.app).get(`/ogc/collections/${layer}/tiles/WebMercatorQuad/12/1364/2013`);
    expect([200, 204]).toContain(tile.status);
    // Approving published it already: asked again, the same version stands.
    const published = await request(ctx.t.app).post(`/api/consultations/${c.id}/publish-layer`).set(bearer(ctx.pub.token)).expect(200);
    expect(published.body).toMatchObject({ layer, version: 1, features: 1, newVersion: false });

    await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${a.body.id}`).set(moderator).send({ status: 'rejected', reason: 'Duplicate of an earlier comment' }).expect(200);
    await request(ctx.t.app).get(`/ogc/collections/${layer}/items`).expect(404);
  });

  it('rejects with a reason, redacts contact details and comment text, and records every action', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const moderator = await moderatorOf(ctx.pub.organisation);
    const r = await respond(ctx.t.app, c.id, pointComment('Call me on 07700 900123 about this', INSIDE, { name: 'Dai', email: 'dai@example.org' })).expect(201);
    const url = `/api/consultations/${c.id}/responses/${r.body.id}`;
    expect((await request(ctx.t.app).patch(url).set(moderator).send({ status: 'rejected' }).expect(400)).body.detail).toMatch(/reason/);
    const after = await request(ctx.t.app).patch(url).set(moderator).send({ redact: { contact: true, comment: 'Call me on [removed] about this' } }).expect(200);
    expect(after.body).toMatchObject({ contact: null, comment: 'Call me on [removed] about this', commentRedacted: true, status: 'pending' });
    const done = await request(ctx.t.app).patch(url).set(moderator).send({ status: 'approved' }).expect(200);
    expect(done.body.moderation.map((a: { action: string }) => a.action)).toEqual(['redact-contact', 'redact-comment', 'approve']);
    expect(await ctx.t.deps.db.knex('consultation_contacts').where({ response_id: r.body.id }).first()).toBeUndefined();
  });

  it('lets nobody but the organisation’s moderators moderate, list everything or export', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const r = await respond(ctx.t.app, c.id, pointComment('Wider pavements please')).expect(201);
    const url = `/api/consultations/${c.id}/responses/${r.body.id}`;
    const other = await ctx.t.createPublisher('other');
    const otherModerator = await moderatorOf(other.organisation);
    const ownPublisher = withSession(await signIn(ctx.t.app, await createUser(ctx.t.app, ctx.pub.organisation, ['publisher'])));
    for (const [who, headers, status] of [['anonymous', {}, 401], ['another council’s moderator', otherModerator, 403], ['own publisher token', bearer(ctx.pub.token), 403], ['own signed-in publisher', ownPublisher, 403]] as const) {
      const res = await request(ctx.t.app).patch(url).set(headers).send({ status: 'approved' });
      expect(res.status, who).toBe(status);
      expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/export?f=csv`).set(headers)).status, who).toBe(status);
      // Everyone else sees the public list: approved only, so nothing yet.
      expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/responses`).set(headers).expect(200)).body.responses, who).toEqual([]);
    }
    expect((await request(ctx.t.app).get(url).set('X-Response-Receipt', r.body.receipt).expect(200)).body.status).toBe('pending');
    await request(ctx.t.app).patch(url).set(bearer('test-operator-token-0123456789abcdef')).send({ status: 'approved' }).expect(200);
  });
});

describe('post-moderation, when a council chooses it', () => {
  it('publishes a response at once, on the public list and layer, until a moderator takes it down', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token, { moderation: 'post' });
    expect(c.moderation).toBe('post');
    const sent = await respond(ctx.t.app, c.id, pointComment('Published straight away')).expect(201);
    expect(sent.body.status).toBe('approved');
    expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/responses`).expect(200)).body.responses.map((r: { id: number }) => r.id)).toEqual([sent.body.id]);
    expect((await request(ctx.t.app).get(`/ogc/collections/${c.id}-responses/items`).expect(200)).body.numberReturned).toBe(1);
    const moderator = await moderatorOf(ctx.pub.organisation);
    await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${sent.body.id}`).set(moderator).send({ status: 'rejected', reason: 'Abusive' }).expect(200);
    expect((await request(ctx.t.app).get(`/api/consultations/${c.id}/responses`).expect(200)).body.responses).toEqual([]);
    await request(ctx.t.app).get(`/ogc/collections/${c.id}-responses/items`).expect(404);
    // Pre-moderation stays the default.
    expect((await createConsultation(ctx.t.app, ctx.pub.token)).moderation).toBe('pre');
  });
});

describe('export: responses with status and moderation trail, for moderators', () => {
  it('exports CSV and GeoJSON with every status and the trail, contact details only when asked, formulas made inert', async () => {
    const c = await createConsultation(ctx.t.app, ctx.pub.token);
    const moderator = await moderatorOf(ctx.pub.organisation);
    const good = await respond(ctx.t.app, c.id, pointComment('Good idea, "really"', INSIDE, { name: 'Siân', email: 'sian@example.org' })).expect(201);
    const formula = await respond(ctx.t.app, c.id, pointComment('=HYPERLINK("http://evil.example","click")', [-3.17, 51.49])).expect(201);
    await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${good.body.id}`).set(moderator).send({ status: 'approved' }).expect(200);
    await request(ctx.t.app).patch(`/api/consultations/${c.id}/responses/${formula.body.id}`).set(moderator).send({ status: 'rejected', reason: 'Spam' }).expect(200);

    const csv = await request(ctx.t.app).get(`/api/consultations/${c.id}/export?f=csv`).set(moderator).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="?c-[0-9a-f]+-responses.csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,status,status_reason,kind/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('approved');
    expect(lines[1]).toContain('"Good idea, ""really"""');
    expect(lines[1]).not.toContain('sian@example.org');
    expect(lines[1]).toMatch(/moderator[^,]* approve/);
    expect(lines[2]).toContain(`rejected,Spam`);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const withContacts = await request(ctx.t.app).get(`/api/consultations/${c.id}/export?f=csv&contacts=true`).set(moderator).expect(200);
    expect(withContacts.text).toContain('sian@example.org');

    const geojson = await request(ctx.t.app).get(`/api/consultations/${c.id}/export?f=geojson`).set(moderator).expect(200);
    const body = JSON.parse(geojson.text);
    expect(body.features).toHaveLength(2);
    expect(body.features[1]).toMatchObject({ geometry: { type: 'Point', coordinates: [-3.17, 51.49] }, properties: { status: 'rejected', statusReason: 'Spam', moderation: [expect.objectContaining({ action: 'reject', reason: 'Spam' })] } });
    expect(body.features[0].properties.contact).toBeUndefined();
    await request(ctx.t.app).get(`/api/consultations/${c.id}/export?f=xlsx`).set(moderator).expect(400);
  });
});
