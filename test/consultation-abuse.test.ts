import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movableClock } from './helpers/accounts';
import { createConsultation, INSIDE, pointComment, respond } from './helpers/consultations';
import { createTestApp, type TestApp } from './helpers/test-app';

const clock = movableClock();
let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp({}, { HAENAU_RESPONSES_PER_HOUR: '3' }, clock.now);
  token = (await t.createPublisher()).token;
});
afterAll(() => t?.close());

/** A place inside the area that differs per call, so only what a test means to repeat repeats. */
let n = 0;
const somewhere = (): [number, number] => [INSIDE[0] + (n++ % 100) / 10_000, INSIDE[1]];

describe('abuse protection without accounts, with clear messages in both languages', () => {
  it('limits responses per client and consultation, says when to try again, and lets others and later tries through', async () => {
    const c = await createConsultation(t.app, token);
    for (let i = 0; i < 3; i++) await respond(t.app, c.id, pointComment(`Comment ${i}`, somewhere()), '198.51.100.7').expect(201);
    const limited = await respond(t.app, c.id, pointComment('One too many', somewhere(), { lang: 'cy' }), '198.51.100.7').expect(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3000);
    expect(limited.body).toMatchObject({ code: 'too-many' });
    expect(limited.body.detail).toMatch(/^Rydych wedi anfon llawer o sylwadau/);
    expect(limited.body.messages.en).toMatch(/^You have sent many comments/);
    await respond(t.app, c.id, pointComment('From a neighbour', somewhere()), '198.51.100.8').expect(201);
    const another = await createConsultation(t.app, token);
    await respond(t.app, another.id, pointComment('Another consultation', somewhere()), '198.51.100.7').expect(201);
    clock.advance(61 * 60_000);
    await respond(t.app, c.id, pointComment('An hour later', somewhere()), '198.51.100.7').expect(201);
  });

  it('refuses the same comment at the same place from the same client twice, but not a new place or a new comment', async () => {
    const c = await createConsultation(t.app, token);
    const at = somewhere();
    await respond(t.app, c.id, pointComment('Dangerous   junction', at), '198.51.100.20').expect(201);
    const twice = await respond(t.app, c.id, pointComment('dangerous junction', at), '198.51.100.20').expect(409);
    expect(twice.body.code).toBe('duplicate');
    await respond(t.app, c.id, pointComment('Dangerous junction', somewhere()), '198.51.100.20').expect(201);
    await respond(t.app, c.id, pointComment('Dangerous junction', at), '198.51.100.21').expect(201);
  });

  it('refuses a filled-in honeypot, over-long text, a malformed email and bad answers, naming the field', async () => {
    const c = await createConsultation(t.app, token);
    const refused = async (extra: Record<string, unknown>, code: string, field?: string) => {
      const res = await respond(t.app, c.id, pointComment('A fair comment', somewhere(), extra), '198.51.100.30');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ code, ...(field ? { field } : {}) });
      expect(res.body.messages.cy.length).toBeGreaterThan(10);
    };
    await refused({ website: 'http://spam.example' }, 'automated');
    await refused({ comment: 'x'.repeat(2001) }, 'too-long', 'comment');
    await refused({ comment: '   ' }, 'no-comment', 'comment');
    await refused({ email: 'not an email' }, 'bad-email', 'email');
    await refused({ name: 'n'.repeat(201) }, 'too-long', 'name');
    await refused({ category: 'parking' }, 'unknown-category', 'category');
    await refused({ answers: { colour: 'blue' } }, 'unknown-question', 'answers.colour');
    await refused({ answers: { use: 'weekly' } }, 'bad-choice', 'answers.use');
    await refused({ answers: { why: 'w'.repeat(1001) } }, 'too-long', 'answers.why');
    // None of the refused ones counted towards the rate limit or were stored.
    await respond(t.app, c.id, pointComment('A fair comment', somewhere(), { answers: { use: 'daily' } }), '198.51.100.30').expect(201);
    expect(Number((await t.deps.db.knex('consultation_responses').where({ consultation_id: c.id }).count({ n: '*' }))[0]!.n)).toBe(1);
  });

  it('refuses a required question left unanswered and a body that is not a response, with problem+json', async () => {
    const c = await createConsultation(t.app, token, { questions: [{ id: 'postcode-area', text: { en: 'Which area do you live in?' }, type: 'text', required: true }] });
    const missing = await respond(t.app, c.id, pointComment('Fine', somewhere()), '198.51.100.40').expect(400);
    expect(missing.body).toMatchObject({ code: 'answer-required', field: 'answers.postcode-area' });
    const junk = await respond(t.app, c.id, { kind: 'point', comment: 'x', extra: 'field' }, '198.51.100.40').expect(400);
    expect(junk.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(junk.body.detail).toMatch(/extra/);
  });
});
