import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn, withSession } from './helpers/accounts';
import { chromiumAvailable } from './helpers/clients';
import { pointComment, respond } from './helpers/consultations';
import { ADMIN_TOKEN, bearer, featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';
import { screenshot, seriousAxeViolations, startViewer } from './helpers/viewer';
import { iframeSnippet } from '../web/src/publish/consultation-embed-url';
import { CONSULTATION_MESSAGES } from '../web/src/publish/consultation-messages';
import { PORTAL_MESSAGES } from '../web/src/publish/messages';

/** The consultation pages' English strings (records too) that no Welsh string of the portal contains: none may show on a Welsh page. */
const strings = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? strings(v) : []));
const welsh = strings(PORTAL_MESSAGES.cy);
const englishOnly = strings(CONSULTATION_MESSAGES.en).filter((en) => en.length >= 4 && !welsh.some((cy) => cy.includes(en)));

const ctx = useTestApp({ publisher: true });

/** These pages are long: the whole page, to look at after a run. */
const fullPage = (page: Page, name: string) => page.screenshot({ path: `test-results/${name}-full-${testBackend()}.png`, fullPage: true });

describe.runIf(chromiumAvailable)('consultations in the publisher portal: create, list, moderate, publish, embed', () => {
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let context: BrowserContext;
  let page: Page;
  let email: string;
  let layer: string;
  let stops: string;
  let id: string;
  const responses: Record<'crossing' | 'spam' | 'lighting', number> = { crossing: 0, spam: 0, lighting: 0 };
  const operator = () => bearer(ADMIN_TOKEN);

  const signInThroughForm = async (p: Page, who: string) => {
    await p.goto(`${viewer.base}/publish/`);
    await p.fill('input[name="email"]', who);
    await p.fill('input[name="password"]', PASSWORD);
    await p.click('button[type="submit"]');
    await p.waitForSelector('[data-testid="consultations-link"]');
  };
  /** Opens a portal route and waits for its heading (and, on a consultation's page, its queue). */
  const open = async (route: string, lang: 'en' | 'cy' = 'en') => {
    // From a blank page: a change of hash alone would leave the last page's heading to be found.
    await page.goto('about:blank');
    await page.goto(`${viewer.base}/publish/?lang=${lang}${route}`);
    await page.waitForFunction((l) => document.documentElement.lang === l && document.querySelector('#content h1') !== null, lang);
    if (/^#\/consultations\/c-[0-9a-f]+$/.test(route)) await page.waitForSelector('[data-testid="responses"][data-status], [data-testid="not-moderator"]');
  };

  beforeAll(async () => {
    const { t, pub } = ctx;
    email = await createUser(t.app, pub.organisation, ['publisher', 'moderator']);
    layer = await t.createLayer(pub.token, { title: { en: 'Cycle routes', cy: 'Llwybrau beicio' } });
    await putData(t.app, layer, pub.token, featureCollection([pointFeature('a', -3.75, 52.35)])).expect(201);
    stops = await t.createLayer(pub.token, { title: { en: 'Bus stops', cy: 'Safleoedd bysiau' } });
    await putData(t.app, stops, pub.token, featureCollection([pointFeature('s', -3.7, 52.3)])).expect(201);
    viewer = await startViewer(t.app);
    context = await viewer.browser.newContext({ viewport: { width: 1200, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    await signInThroughForm(page, email);
  });
  afterAll(() => viewer?.close());

  it('creates a consultation through the form: both languages, dates, a category, a question, a layer and the area from the map view', async () => {
    await page.click('[data-testid="consultations-link"]');
    await page.waitForSelector('text=Your organisation has no consultations yet.');
    await page.click('[data-testid="new-consultation"]');
    await page.waitForSelector('[data-testid="area-map"][data-ready]');

    // Nothing filled in: the page's own checks, in a summary that takes focus and beside each field.
    await page.click('[data-testid="save-consultation"]');
    await page.waitForSelector('[data-testid="error-summary"]:visible');
    expect(await page.locator('[data-testid="error-summary"]').innerText()).toContain('Enter the title in English');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await page.locator('.govuk-form-group--error').count()).toBeGreaterThanOrEqual(4);

    await page.fill('input[name="titleEn"]', 'Active travel network');
    await page.fill('input[name="titleCy"]', 'Rhwydwaith teithio llesol');
    await page.fill('textarea[name="descriptionEn"]', 'Tell us about the proposed routes.');
    await page.fill('textarea[name="descriptionCy"]', 'Dywedwch wrthym am y llwybrau arfaethedig.');
    // datetime-local is in the browser's time zone: the values are made there.
    const [opens, closes] = await page.evaluate(() => {
      const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      return [local(new Date(Date.now() - 3_600_000)), local(new Date(Date.now() + 7 * 86_400_000))];
    });
    await page.fill('input[name="opensAt"]', opens!);
    await page.fill('input[name="closesAt"]', closes!);
    await page.check('input[name="commentKinds"][value="line"]');
    await page.check(`input[name="layers"][value="${layer}"]`);
    await page.check(`input[name="layers"][value="${stops}"]`);
    await page.click('[data-add="categories"]');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('categoryEn');
    await page.fill('input[name="categoryEn"]', 'Safety');
    await page.fill('input[name="categoryCy"]', 'Diogelwch');
    await page.click('[data-add="questions"]');
    await page.fill('input[name="questionEn"]', 'How often would you use it?');
    await page.fill('input[name="questionCy"]', 'Pa mor aml fyddech chi’n ei ddefnyddio?');
    await page.selectOption('select[name="questionType"]', 'choice');
    await page.fill('textarea[name="questionOptions"]', 'Daily | Bob dydd\nNever | Byth');
    await page.fill('textarea[name="frameAncestors"]', 'www.example.gov.uk');
    // Two steps closer than Wales, then that view is the area.
    await page.click('.maplibregl-ctrl-zoom-in');
    await page.click('.maplibregl-ctrl-zoom-in');
    await page.waitForTimeout(600);
    await page.click('[data-testid="use-view"]');
    expect(await page.locator('[data-testid="area-status"]').innerText()).toMatch(/^The area is the rectangle from longitude -\d/);

    // The server's refusal (an origin without its scheme) lands in the summary, named for the field.
    await page.click('[data-testid="save-consultation"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="error-summary"]')?.textContent?.includes('Websites that may embed'));
    await page.fill('textarea[name="frameAncestors"]', 'https://www.example.gov.uk/');
    await page.locator('[data-testid="area-map"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'portal-consultation-form');
    await fullPage(page, 'portal-consultation-form');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('[data-testid="save-consultation"]');
    await page.waitForFunction(() => /^#\/consultations\/c-[0-9a-f]{12}$/.test(location.hash));
    id = (await page.evaluate(() => location.hash)).slice('#/consultations/'.length);

    const c = (await request(ctx.t.app).get(`/api/consultations/${id}`).expect(200)).body;
    expect(c).toMatchObject({
      organisation: ctx.pub.organisation,
      title: { en: 'Active travel network', cy: 'Rhwydwaith teithio llesol' },
      description: { cy: 'Dywedwch wrthym am y llwybrau arfaethedig.' },
      state: 'open',
      commentKinds: ['point', 'line'],
      categories: [{ id: 'safety', label: { en: 'Safety', cy: 'Diogelwch' } }],
      questions: [{ type: 'choice', text: { en: 'How often would you use it?' }, options: [{ id: 'daily', label: { en: 'Daily', cy: 'Bob dydd' } }, { id: 'never', label: { en: 'Never', cy: 'Byth' } }] }],
      frameAncestors: ['https://www.example.gov.uk'],
    });
    expect([...c.layers].sort()).toEqual([layer, stops].sort());
    // The area is the zoomed view's rectangle around the map's centre, over mid Wales (stored as a MultiPolygon).
    const ring = (c.area.type === 'MultiPolygon' ? c.area.coordinates[0][0] : c.area.coordinates[0]) as [number, number][];
    expect(ring).toHaveLength(5);
    const [w, s, e, n] = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))];
    expect(w).toBeLessThan(-3.75);
    expect(e).toBeGreaterThan(-3.75);
    expect(e - w).toBeLessThan(8);
    expect(s).toBeLessThan(52.35);
    expect(n).toBeGreaterThan(52.35);
    expect(Math.abs(new Date(c.opensAt).getTime() - (Date.now() - 3_600_000))).toBeLessThan(5 * 60_000);
  });

  it('lists the consultation with its state, dates and counts', async () => {
    const at = pointComment('Needs a crossing here', [-3.75, 52.35], { name: 'Ann Jones', email: 'ann@example.org', category: 'safety', sentiment: 'support', answers: { 'how-often-would-you-use-it': 'daily' } });
    responses.crossing = (await respond(ctx.t.app, id, at, '203.0.113.1').expect(201)).body.id;
    responses.spam = (await respond(ctx.t.app, id, pointComment('Cheap watches', [-3.7, 52.3]), '203.0.113.2').expect(201)).body.id;
    responses.lighting = (await respond(ctx.t.app, id, pointComment('Please add lighting', [-3.8, 52.4], { name: 'Bryn', email: 'bryn@example.org' }), '203.0.113.3').expect(201)).body.id;
    await open('#/consultations');
    const row = page.locator(`tr[data-consultation="${id}"]`);
    expect(await row.locator('[data-state]').getAttribute('data-state')).toBe('open');
    expect(await row.innerText()).toContain('Active travel network');
    expect((await row.locator('td').allInnerTexts()).slice(-2)).toEqual(['0', '3']);
    await screenshot(page, 'portal-consultations');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('moderates: approves one, rejects one with a reason, removes contact details, each in the trail', async () => {
    await open(`#/consultations/${id}`);
    const card = (r: number) => page.locator(`[data-response="${r}"]`);
    expect(await page.locator('[data-testid="responses"] [data-response]').count()).toBe(3);
    expect(await card(responses.crossing).innerText()).toContain('ann@example.org');
    expect(await card(responses.crossing).innerText()).toContain('Daily');
    await page.waitForSelector('[data-testid="responses-map"][data-ready="3"]');

    await card(responses.crossing).locator('[data-action="approve"]').click();
    await page.waitForSelector(`[data-response="${responses.crossing}"][data-status="approved"]`);
    await card(responses.spam).locator('[data-action="reject"]').click();
    await card(responses.spam).locator('[data-action="confirm-reject"]').click();
    await card(responses.spam).locator('.govuk-error-message:text("Say why the response is rejected")').waitFor();
    await card(responses.spam).locator('input[name="reason"]').fill('Advertising, not about the routes');
    await card(responses.spam).locator('[data-action="confirm-reject"]').click();
    await page.waitForSelector(`[data-response="${responses.spam}"][data-status="rejected"]`);
    await card(responses.lighting).locator('[data-action="remove-contact"]').click();
    await page.waitForSelector(`[data-response="${responses.lighting}"] [data-contact="none"]`);
    expect(await card(responses.lighting).locator('[data-trail="redact-contact"]').innerText()).toContain(`by ${ctx.pub.organisation}/user:${email}`);
    expect(await card(responses.spam).locator('[data-trail="reject"]').innerText()).toContain('Advertising, not about the routes');
    await card(responses.lighting).locator('[data-action="show"]').click();
    await page.waitForSelector(`[data-testid="responses-map"][data-selected="${responses.lighting}"]`);
    await card(responses.crossing).scrollIntoViewIfNeeded();
    await screenshot(page, 'portal-consultation-queue');
    await fullPage(page, 'portal-consultation-queue');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const all = (await request(ctx.t.app).get(`/api/consultations/${id}/responses`).set(operator()).expect(200)).body.responses as Array<Record<string, any>>;
    const byId = (r: number) => all.find((x) => x.id === r)!;
    const actor = `${ctx.pub.organisation}/user:${email}`;
    expect(byId(responses.crossing)).toMatchObject({ status: 'approved', contact: { name: 'Ann Jones' }, moderation: [{ action: 'approve', actor }] });
    expect(byId(responses.spam)).toMatchObject({ status: 'rejected', statusReason: 'Advertising, not about the routes', moderation: [{ action: 'reject', reason: 'Advertising, not about the routes', actor }] });
    expect(byId(responses.lighting)).toMatchObject({ status: 'pending', contact: null, moderation: [{ action: 'redact-contact', actor }] });

    await page.click('[data-filter="approved"]');
    await page.waitForSelector('[data-testid="responses"][data-status="approved"]');
    expect(await page.locator('[data-testid="responses"] [data-response]').count()).toBe(1);
    expect(await page.locator('[data-filter="approved"]').getAttribute('aria-pressed')).toBe('true');
  });

  it('publishes the approved responses as a layer and says which version', async () => {
    await page.click('[data-testid="publish-responses"]');
    await page.waitForSelector('[data-testid="published-layer"] [data-version="1"]');
    expect(await page.locator('[data-testid="published-layer"]').innerText()).toBe(`Published as version 1 with 1 response: ${id}-responses`);
    const published = (await request(ctx.t.app).get(`/api/layers/${id}-responses`).set(bearer(ctx.pub.token)).expect(200)).body;
    expect(published.currentVersion.version).toBe(1);
    expect(published.featureCount).toBe(1);
  });

  it('builds an embed: URL, iframe code and oEmbed follow the options, with a live preview', async () => {
    await open(`#/consultations/${id}`);
    const url = page.locator('[data-testid="embed-url"]');
    expect(await url.innerText()).toBe(`${viewer.base}/embed/${id}`);
    expect(await page.locator('[data-testid="embed-snippet"]').inputValue()).toBe(`<iframe src="${viewer.base}/embed/${id}" width="100%" height="600" title="Active travel network: consultation map" style="border:0" loading="lazy"></iframe>`);
    expect(await page.locator('[data-testid="embed-builder"] .govuk-inset-text').first().innerText()).toContain('https://www.example.gov.uk');

    await page.waitForSelector('[data-testid="embed-map"][data-ready]');
    await page.uncheck('input[name="embedForm"]');
    await page.selectOption('select[name="embedLang"]', 'cy');
    await page.click('[data-testid="use-this-view"]');
    const src = await url.innerText();
    expect(src).toMatch(new RegExp(`^${viewer.base}/embed/${id}\\?view=[\\d.]+/5[12]\\.\\d{5}/-[34]\\.\\d{5}&form=off&lang=cy$`));
    // One of the two layers: named. None: the page reads an empty list as all, so the URL says nothing and the builder says why.
    await page.uncheck(`input[name="embedLayers"][value="${stops}"]`);
    expect(await url.innerText()).toBe(src.replace('?', `?layers=${layer}&`));
    expect(await page.locator('[data-testid="no-layer-chosen"]').isVisible()).toBe(false);
    await page.uncheck(`input[name="embedLayers"][value="${layer}"]`);
    expect(await url.innerText()).toBe(src);
    expect(await page.locator('[data-testid="no-layer-chosen"]').isVisible()).toBe(true);
    await page.check(`input[name="embedLayers"][value="${layer}"]`);
    await page.check(`input[name="embedLayers"][value="${stops}"]`);
    expect(await page.locator('[data-testid="embed-snippet"]').inputValue()).toBe(iframeSnippet(src, 'Rhwydwaith teithio llesol: map ymgynghori'));
    expect(await page.locator('[data-testid="embed-preview"]').getAttribute('src')).toBe(src);
    const query = src.slice(src.indexOf('?'));
    const oembed = await page.locator('[data-testid="oembed-url"]').innerText();
    expect(oembed).toBe(`${viewer.base}/oembed?url=${encodeURIComponent(`${viewer.base}/consult/${id}${query}`)}`);
    const answer = await request(ctx.t.app).get(oembed.slice(viewer.base.length)).set('Host', new URL(viewer.base).host).expect(200);
    expect(answer.body).toMatchObject({ type: 'rich', title: 'Rhwydwaith teithio llesol' });
    expect(answer.body.html).toContain(`/embed/${id}?view=`);

    await page.click('[data-testid="copy-snippet"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'The code is copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(iframeSnippet(src, 'Rhwydwaith teithio llesol: map ymgynghori'));
    await page.locator('[data-testid="embed-builder"] h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'portal-consultation-embed');
    await fullPage(page, 'portal-consultation-embed');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('changes the consultation through the edit page', async () => {
    await open(`#/consultations/${id}/edit`);
    expect(await page.inputValue('input[name="categoryEn"]')).toBe('Safety');
    await page.fill('input[name="titleCy"]', 'Rhwydwaith teithio llesol Caerdydd');
    await page.click('[data-testid="save-consultation"]');
    await page.waitForFunction((c) => location.hash === `#/consultations/${c}`, id);
    const c = (await request(ctx.t.app).get(`/api/consultations/${id}`).expect(200)).body;
    expect(c.title.cy).toBe('Rhwydwaith teithio llesol Caerdydd');
    expect(c.categories).toEqual([{ id: 'safety', label: { en: 'Safety', cy: 'Diogelwch' } }]);
  });

  it('shows every consultation page in Welsh with none of its English left, and no serious axe violations', async () => {
    for (const route of ['#/consultations', '#/consultations/new', `#/consultations/${id}`, `#/consultations/${id}/edit`]) {
      await open(route, 'cy');
      const text = await page.locator('body').innerText();
      expect(englishOnly.filter((en) => text.includes(en)), route).toEqual([]);
      expect(await seriousAxeViolations(page), route).toEqual([]);
      if (route === `#/consultations/${id}`) await fullPage(page, 'portal-consultation-cy');
      await open(route, 'en');
      expect(await seriousAxeViolations(page), `${route} in English`).toEqual([]);
    }
  });

  it('keeps the queue from a publisher of another organisation: the API refuses, and the page says so', async () => {
    const other = await ctx.t.createPublisher('elsewhere');
    const outsider = await createUser(ctx.t.app, other.organisation, ['publisher', 'moderator']);
    const session = await signIn(ctx.t.app, outsider);
    await request(ctx.t.app).patch(`/api/consultations/${id}/responses/${responses.lighting}`).set(withSession(session)).send({ status: 'approved' }).expect(403);
    await request(ctx.t.app).get(`/api/consultations/${id}/export?f=csv&contacts=true`).set(withSession(session)).expect(403);
    const listed = (await request(ctx.t.app).get(`/api/consultations/${id}/responses?status=pending`).set(withSession(session)).expect(200)).body;
    expect(listed.moderator).toBe(false);
    expect(listed.responses.every((r: Record<string, unknown>) => !('contact' in r))).toBe(true);

    const theirs = await viewer.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const p = await theirs.newPage();
    await signInThroughForm(p, outsider);
    await p.goto(`${viewer.base}/publish/#/consultations/${id}`);
    await p.waitForSelector('[data-testid="not-moderator"]');
    expect(await p.locator('[data-testid="not-moderator"]').innerText()).toBe(`Only the moderators of ${ctx.pub.organisation} can see and moderate the responses to this consultation.`);
    expect(await p.locator('[data-response], [data-testid="exports"], [data-testid="publish-responses"], [data-testid="embed-builder"], [data-testid="edit-consultation"]').count()).toBe(0);
    await screenshot(p, 'portal-consultation-outsider');
    expect(await seriousAxeViolations(p)).toEqual([]);
    await theirs.close();
  });
});
