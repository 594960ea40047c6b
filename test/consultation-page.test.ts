import type { Frame, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type SignedIn, withSession } from './helpers/accounts';
import { chromiumAvailable } from './helpers/clients';
import { createConsultation } from './helpers/consultations';
import { hostPage, startEmbedHost } from './helpers/embed-host';
import type { FixtureServer } from './helpers/fixture-server';
import { featureCollection, putData, useTestApp } from './helpers/test-app';
import { screenshot, seriousAxeViolations, startViewer } from './helpers/viewer';

const ctx = useTestApp({ publisher: true });

const section = (id: string, name: string, coordinates: [number, number][]) => ({ type: 'Feature', id, properties: { name }, geometry: { type: 'LineString', coordinates } });
/** Route sections inside the test consultations' Cardiff box. */
const ROUTES = [
  section('s1', 'Heol y Frenhines', [[-3.22, 51.47], [-3.19, 51.48]]),
  section('s2', 'Ffordd Casnewydd', [[-3.18, 51.48], [-3.15, 51.5]]),
  section('s3', 'Heol yr Eglwys Gadeiriol', [[-3.21, 51.5], [-3.2, 51.53]]),
];
const WELSH_COMMENT = 'Mae angen goleuadau ar y rhan hon o’r llwybr, yn enwedig yn y gaeaf.';

/** Waits until the page's MapLibre map has drawn everything it asked for. */
async function mapIdleIn(frame: Frame | Page): Promise<void> {
  await frame.waitForFunction(() => {
    const map = window.haenauConsult?.map;
    return !!map && !map.isMoving() && map.isStyleLoaded() && map.areTilesLoaded() && map.loaded();
  }, null, { timeout: 30_000, polling: 200 });
  await frame.waitForTimeout(300);
}

/** How many features the map draws from a source (the routes' vector tiles, or the published comments). */
const drawn = (frame: Frame | Page, source: string) => frame.evaluate((s) => window.haenauConsult!.map.queryRenderedFeatures().filter((f) => f.source === s).length, source);

/** The council page's iframe, once the consultation inside it has loaded. */
async function embedFrame(page: Page): Promise<Frame> {
  const frame = (await (await page.waitForSelector('iframe')).contentFrame())!;
  await frame.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
  await mapIdleIn(frame);
  return frame;
}

describe.runIf(chromiumAvailable)('the consultation page, embedded in a council’s site: comment, moderation, publication', () => {
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let council: FixtureServer;
  let stranger: FixtureServer;
  let routes: string;
  let id: string;
  let page: Page;
  let moderator: SignedIn;
  let responseId: string;

  beforeAll(async () => {
    const { t, pub } = ctx;
    viewer = await startViewer(t.app);
    [council, stranger] = await Promise.all([startEmbedHost(), startEmbedHost()]);
    routes = await t.createLayer(pub.token, { title: { en: 'Route sections', cy: 'Rhannau o lwybrau' } });
    await putData(t.app, routes, pub.token, featureCollection(ROUTES)).expect(201);
    await t.deps.tilePreparer.idle();
    id = (await createConsultation(t.app, pub.token, { commentKinds: ['feature', 'point'], layers: [routes], frameAncestors: [council.origin] })).id;
    moderator = await signIn(t.app, await createUser(t.app, pub.organisation, ['moderator']));
    page = await viewer.browser.newPage({ viewport: { width: 800, height: 800 } });
  });
  afterAll(async () => {
    await viewer?.close();
    await Promise.all([council?.close(), stranger?.close()]);
  });

  it('lets a citizen on the council’s page pick a route section, comment in Welsh, and be told it awaits moderation', async () => {
    await page.goto(hostPage(council, `${viewer.base}/embed/${id}?lang=cy`));
    const frame = await embedFrame(page);
    expect(frame.url()).toBe(`${viewer.base}/embed/${id}?lang=cy`);
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe('cy');
    expect(await frame.locator('#site-header').isVisible()).toBe(false);
    const full = frame.locator('[data-testid="full-page"]');
    expect(await full.getAttribute('target')).toBe('_blank');
    expect(await full.getAttribute('href')).toBe(`/consult/${id}?lang=cy`);
    await frame.waitForFunction((slug) => window.haenauConsult!.map.queryRenderedFeatures().some((f) => f.source === `overlay:${slug}`), routes);

    // On the map: a click on a section chooses it, and the list follows.
    expect(await frame.locator('#cf-kind').isChecked()).toBe(true);
    await frame.locator('#cf-feature option', { hasText: 'Heol y Frenhines (s1)' }).waitFor({ state: 'attached' });
    const at = await frame.evaluate(() => window.haenauConsult!.map.project([-3.165, 51.49]));
    const canvas = (await frame.locator('#map canvas').boundingBox())!;
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    await frame.waitForFunction((slug) => (document.querySelector('#cf-feature') as HTMLSelectElement).value === JSON.stringify([slug, 's2']), routes);
    await expect.poll(() => frame.locator('#map-status').innerText()).toContain('Wedi dewis: Ffordd Casnewydd (s2)');
    // From the list (the keyboard way): the map shows the chosen section in the highlight colours.
    await frame.selectOption('#cf-feature', { label: 'Heol y Frenhines (s1)' });
    await mapIdleIn(frame);
    const highlighted = await frame.evaluate(() => window.haenauConsult!.map.queryRenderedFeatures({ layers: ['highlight-line'] }).map((f) => f.geometry));
    expect(highlighted.length).toBeGreaterThan(0);
    await expect.poll(() => frame.locator('#map-status').innerText()).toContain('Wedi dewis: Heol y Frenhines (s1)');

    await frame.fill('#cf-comment', WELSH_COMMENT);
    expect(await frame.locator('[data-testid="char-count"]').innerText()).toBe(`Mae gennych ${2000 - WELSH_COMMENT.length} nod ar ôl`);
    await frame.selectOption('#cf-category', 'safety');
    await frame.check('#cf-sentiment');
    await frame.check('#cf-answers-use');
    await frame.fill('#cf-answers-why', 'Mae’n dywyll yn y nos.');
    expect(await frame.locator('[data-testid="privacy-note"]').innerText()).toContain('Ni chaiff eich enw a’ch cyfeiriad e-bost byth eu dangos yn gyhoeddus');
    await frame.fill('#cf-name', 'Siân Dinesydd');
    await frame.fill('#cf-email', 'sian@example.org');
    // The honeypot is out of sight and out of the tab order.
    expect(await frame.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');
    await screenshot(page, 'consultation-embed-form');
    await frame.click('button[type="submit"]');

    const sent = frame.locator('[data-testid="sent"]');
    await sent.waitFor();
    expect(await sent.innerText()).toContain('Anfonwyd eich sylw');
    expect(await sent.innerText()).toContain('aros am gymedroli');
    const own = frame.locator('[data-testid="own-comments"] li');
    await own.first().waitFor();
    expect(await own.getAttribute('data-status')).toBe('pending');
    expect(await own.innerText()).toContain('Yn aros am gymedroli');
    await screenshot(page, 'consultation-embed-sent');
  });

  it('shows the page’s own checks and the server’s refusals, in Welsh, in an error summary linked to the field', async () => {
    const frame = (await (await page.$('iframe'))!.contentFrame())!;
    await frame.click('text=Gadael sylw arall');
    await frame.check('#cf-kind-point');
    await frame.click('button[type="submit"]');
    const summary = frame.locator('[data-testid="error-summary"]');
    await summary.waitFor();
    expect(await frame.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await summary.locator('a').allInnerTexts()).toEqual(['Rhowch bwynt ar y map', 'Ysgrifennwch sylw']);
    await summary.locator('a', { hasText: 'Ysgrifennwch sylw' }).click();
    expect(await frame.evaluate(() => document.activeElement?.id)).toBe('cf-comment');

    await frame.click('#cf-geometry');
    await frame.fill('#cf-comment', 'Croesfan yma, os gwelwch yn dda.');
    await frame.fill('#cf-email', 'nid-cyfeiriad');
    await frame.click('button[type="submit"]');
    await summary.locator('a[href="#cf-email"]').waitFor();
    expect(await summary.innerText()).toContain('Rhowch gyfeiriad e-bost yn y ffurf gywir');
    expect(await frame.locator('#cf-email-error').innerText()).toContain('Rhowch gyfeiriad e-bost yn y ffurf gywir');
    expect(await frame.locator('#cf-email').getAttribute('aria-describedby')).toContain('cf-email-error');
    await screenshot(page, 'consultation-embed-error');
  });

  it('publishes the comment once a moderator approves it: listed and drawn in the embed, in the public list without contact details, and in the export', async () => {
    const pending = await request(ctx.t.app).get(`/api/consultations/${id}/responses?status=pending`).set(withSession(moderator)).expect(200);
    const mine = pending.body.responses.find((r: { comment: string }) => r.comment === WELSH_COMMENT);
    expect(mine).toMatchObject({ kind: 'feature', layer: routes, featureId: 's1', category: 'safety', sentiment: 'support', answers: { use: 'daily', why: 'Mae’n dywyll yn y nos.' }, contact: { name: 'Siân Dinesydd', email: 'sian@example.org' } });
    responseId = mine.id;
    await request(ctx.t.app).patch(`/api/consultations/${id}/responses/${responseId}`).set(withSession(moderator)).send({ status: 'approved' }).expect(200);

    await page.reload();
    const frame = await embedFrame(page);
    expect(await frame.locator('[data-testid="counts"]').innerText()).toBe('1 sylw: Diogelwch 1');
    const listed = frame.locator(`[data-testid="comments"] [data-response="${responseId}"]`);
    expect(await listed.innerText()).toContain(WELSH_COMMENT);
    expect(await listed.innerText()).toContain('Am Rhannau o lwybrau: s1');
    expect(await frame.locator(`[data-testid="own-comments"] [data-response="${responseId}"]`).getAttribute('data-status')).toBe('approved');
    await frame.waitForFunction(() => window.haenauConsult!.map.queryRenderedFeatures({ layers: ['responses-line'] }).length > 0);
    expect(await drawn(frame, `overlay:${routes}`)).toBeGreaterThan(0);
    await listed.locator('button').click();
    await frame.locator('[data-testid="comment-popup"]').waitFor();
    expect(await frame.locator('[data-testid="comment-popup"]').innerText()).toContain(WELSH_COMMENT);
    await mapIdleIn(frame);
    await screenshot(page, 'consultation-embed-approved');

    const open = await request(ctx.t.app).get(`/api/consultations/${id}/responses`).expect(200);
    expect(open.body.responses.map((r: { id: string }) => r.id)).toEqual([responseId]);
    expect(JSON.stringify(open.body)).not.toMatch(/sian@example\.org|Siân|contact/);

    const csv = await request(ctx.t.app).get(`/api/consultations/${id}/export?f=csv`).set(withSession(moderator)).expect(200);
    const row = csv.text.split(/\r?\n/).find((line) => line.startsWith(`${responseId},`))!;
    expect(row).toContain(',approved,');
    expect(row).toContain(WELSH_COMMENT);
    expect(row).toMatch(/ council-[^ ]+\/user:moderator-[^ ]+ approve$/);
  });

  it('cannot be framed by a site whose origin is not among the consultation’s frame ancestors', async () => {
    const csp = (await request(ctx.t.app).get(`/embed/${id}`).expect(200)).headers['content-security-policy'] as string;
    expect(csp).toContain(`frame-ancestors 'self' ${council.origin}`);
    expect(csp).not.toContain(stranger.origin);
    const other = await viewer.browser.newPage();
    await other.goto(hostPage(stranger, `${viewer.base}/embed/${id}?lang=cy`));
    const frame = (await (await other.waitForSelector('iframe')).contentFrame())!;
    // Chromium swaps a refused frame's document for its own error page.
    await expect.poll(() => frame.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    expect(await frame.$('#consultation')).toBeNull();
    await other.close();
  });

  it('has no serious axe violations on /consult in English and in Welsh, with the site header and a language switch', async () => {
    const full = await viewer.browser.newPage({ viewport: { width: 1200, height: 850 } });
    await full.goto(`${viewer.base}/consult/${id}?lang=en&view=12.5/51.49/-3.19`);
    await full.waitForSelector('body[data-ready="1"]');
    await mapIdleIn(full);
    expect(await full.locator('#site-header').isVisible()).toBe(true);
    expect(await full.locator('h1').innerText()).toBe('Active travel network');
    expect(await full.locator('#language-switch').getAttribute('href')).toBe(`/consult/${id}?lang=cy&view=12.5%2F51.49%2F-3.19`);
    await screenshot(full, 'consultation-page-en');
    expect(await seriousAxeViolations(full)).toEqual([]);
    await full.click('#language-switch');
    await full.waitForSelector('body[data-ready="1"]');
    await mapIdleIn(full);
    expect(await full.evaluate(() => document.documentElement.lang)).toBe('cy');
    expect(await full.locator('h1').innerText()).toBe('Rhwydwaith teithio llesol');
    await screenshot(full, 'consultation-page-cy');
    expect(await seriousAxeViolations(full)).toEqual([]);

    // The embed builder's options: only the chosen layers, and no form.
    await full.goto(`${viewer.base}/embed/${id}?lang=en&form=off&layers=${routes},not-consulted`);
    await full.waitForSelector('body[data-ready="1"]');
    expect(await full.locator('[data-testid="comment-form"]').count()).toBe(0);
    expect(await full.locator('[data-testid="comments"] li').count()).toBe(1);
    expect(await full.locator('#site-header').isVisible()).toBe(false);

    // Not open yet, and with no Welsh description: the dates instead of the form, the English marked as English.
    const soon = Date.now() + 48 * 3_600_000;
    const later = await createConsultation(ctx.t.app, ctx.pub.token, { description: { en: 'Tell us about the routes.' }, opensAt: new Date(soon).toISOString(), closesAt: new Date(soon + 7 * 86_400_000).toISOString() });
    await full.goto(`${viewer.base}/consult/${later.id}?lang=cy`);
    await full.waitForSelector('body[data-ready="1"]');
    expect(await full.locator('[data-testid="state"]').innerText()).toContain('Heb agor eto');
    expect(await full.locator('[data-testid="not-open"]').innerText()).toMatch(/^Mae’r ymgynghoriad hwn yn agor ar .+ ac yn cau ar .+\.$/);
    expect(await full.locator('[data-testid="comment-form"]').count()).toBe(0);
    expect(await full.locator('.app-consult__description').getAttribute('lang')).toBe('en');
    await screenshot(full, 'consultation-page-scheduled');
    expect(await seriousAxeViolations(full)).toEqual([]);
    await full.close();
  });

  it('draws a line from the keyboard: points added at the map’s centre as it is moved, one undone, finished, sent', async () => {
    const lines = await createConsultation(ctx.t.app, ctx.pub.token, { commentKinds: ['line'] });
    const p = await viewer.browser.newPage({ viewport: { width: 1000, height: 800 } });
    await p.goto(`${viewer.base}/consult/${lines.id}?lang=en&view=13/51.49/-3.19`);
    await p.waitForSelector('body[data-ready="1"]');
    await mapIdleIn(p);
    const addCentre = async () => {
      await p.focus('#cf-geometry');
      await p.keyboard.press('Enter');
      // The map is moved with its own keys (focus on the map, then an arrow) before the next point.
      await p.focus('#map canvas');
      await p.keyboard.press('ArrowRight');
      await mapIdleIn(p);
    };
    for (let i = 0; i < 3; i++) await addCentre();
    expect(await p.locator('[data-testid="place-status"]').innerText()).toBe('The line has 3 points.');
    await p.click('text=Undo the last point');
    await p.click('text=Finish the line');
    expect(await p.locator('[data-testid="place-status"]').innerText()).toBe('The line is finished with 2 points.');
    expect(await drawn(p, 'highlight')).toBeGreaterThanOrEqual(3);
    await p.fill('#cf-comment', 'A link between these streets.');
    await p.click('button[type="submit"]');
    await p.locator('[data-testid="sent"]').waitFor();
    const all = await request(ctx.t.app).get(`/api/consultations/${lines.id}/responses?status=pending`).set(withSession(moderator)).expect(200);
    const [line] = all.body.responses;
    expect(line.geometry.type).toBe('LineString');
    expect(line.geometry.coordinates).toHaveLength(2);
    expect(line.geometry.coordinates[1][0]).toBeGreaterThan(line.geometry.coordinates[0][0]);
    await p.close();
  });

  it('works at 375 pixels wide from the keyboard alone: a point at the map’s centre, a comment, sent', async () => {
    const phone = await viewer.browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    await phone.goto(`${viewer.base}/consult/${id}?lang=en&form=on`);
    await phone.waitForSelector('body[data-ready="1"]');
    await mapIdleIn(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await phone.focus('#cf-kind-point');
    await phone.keyboard.press('Space');
    expect(await phone.locator('#crosshair').isVisible()).toBe(true);
    await phone.focus('#cf-geometry');
    await phone.keyboard.press('Enter');
    expect(await phone.locator('[data-testid="place-status"]').innerText()).toContain('A point is placed on the map');
    await phone.focus('#cf-comment');
    await phone.keyboard.type('A crossing is needed here.');
    await screenshot(phone, 'consultation-page-375');
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await phone.focus('button[type="submit"]');
    await phone.keyboard.press('Enter');
    await phone.locator('[data-testid="sent"]').waitFor();
    expect(await phone.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sent');
    await screenshot(phone, 'consultation-page-375-sent');
    await phone.close();
  });
});
