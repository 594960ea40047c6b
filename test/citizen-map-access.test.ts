import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/clients';
import { BROWSER_NEAR_MAX_FEATURES } from '../web/src/near-this';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { mapIdle, screenshot, seriousAxeViolations, startViewer } from './helpers/viewer';

const ctx = useTestApp({ seed: true });

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, selector: string, o: { back?: boolean; max?: number } = {}): Promise<void> {
  const max = o.max ?? 100;
  await page.waitForSelector(selector, { state: 'attached' });
  const visited: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(o.back ? 'Shift+Tab' : 'Tab');
    const [hit, where] = await page.evaluate((s) => {
      const a = document.activeElement;
      return [a?.matches(s) ?? false, a ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('data-key') ? `[${a.getAttribute('data-key')}]` : ''}` : 'none'] as const;
    }, selector);
    if (hit) return;
    visited.push(where);
  }
  // Where focus went says what stood in the way (a re-render sending it to <body>, a trap).
  throw new Error(`${max} presses of Tab never reached ${selector}; focus went: ${visited.slice(-30).join(' → ')}`);
}

/** The focused element shows where focus is: an outline, a box-shadow or the GOV.UK yellow. */
const focusIsVisible = (page: Page) =>
  page.evaluate(() => {
    const s = getComputedStyle(document.activeElement!);
    return (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none' || s.backgroundColor === 'rgb(255, 221, 0)';
  });

const selectionId = (page: Page) => page.evaluate(() => window.haenau!.app.selection?.id);

describe.runIf(chromiumAvailable)('the citizen map with a keyboard alone, its table view, near this, and axe', () => {
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let page: Page;

  beforeAll(async () => {
    viewer = await startViewer(ctx.t.app);
    page = await viewer.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${viewer.base}/?lang=en&map=11.00/52.10000/-3.35000`);
    await page.waitForSelector('.app-card');
    // The filters arrive separately and re-render the form: start once they are in.
    await page.waitForSelector('select[name="publisher"] option[value="sample-council"]', { state: 'attached' });
  });
  afterAll(() => viewer?.close());

  it('finds and adds layers, reorders them and reads the map with the keyboard only', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip-link');
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('panel');

    for (const [words, slug] of [['routes', 'sample-active-travel-routes'], ['ysgolion', 'sample-schools']] as const) {
      await tabTo(page, 'input[name="q"]');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(words);
      await page.keyboard.press('Enter');
      await page.waitForFunction((s) => [...document.querySelectorAll('.app-card')].map((e) => e.getAttribute('data-layer')).join() === s, slug);
      await tabTo(page, `[data-key="add:${slug}"]`);
      expect(await focusIsVisible(page)).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.app-overlay[data-layer="${slug}"]`);
    }
    const order = () => page.locator('.app-overlay').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')));
    expect(await order()).toEqual(['sample-schools', 'sample-active-travel-routes']);
    await tabTo(page, '[data-key="down:sample-schools"]');
    await page.keyboard.press('Enter');
    expect(await order()).toEqual(['sample-active-travel-routes', 'sample-schools']);
    await page.waitForFunction(() => /Schools \(sample data\) is now layer 2 of 2/.test(document.getElementById('map-status')!.textContent ?? ''));

    // Back to the top, and the second skip link lands on the map.
    await tabTo(page, '#skip-to-map', { back: true });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))).toBe(true);
    expect(await focusIsVisible(page)).toBe(true);
    const zoom = () => page.evaluate(() => window.haenau!.map.getZoom());
    const before = await zoom();
    await page.keyboard.press('Equal');
    await page.waitForFunction((z) => window.haenau!.map.getZoom() > z + 0.5, before);
    await page.keyboard.press('Minus');
    await mapIdle(page);
  });

  it('lists the features in view in a table, the same as the API, and opens one’s details from it', async () => {
    await tabTo(page, '[data-key="table-layer"]');
    await page.selectOption('[data-key="table-layer"]', 'sample-active-travel-routes');
    // Until the chosen layer's rows arrive, the table still shows the first overlay's.
    await page.waitForFunction(() => document.querySelector('[data-testid="feature-table"][data-layer="sample-active-travel-routes"] tbody tr') !== null);
    const bounds = await page.evaluate(() => window.haenau!.map.getBounds().toArray().flat());
    const api = await request(ctx.t.app).get('/ogc/collections/sample-active-travel-routes/items').query({ bbox: bounds.map((n) => n.toFixed(6)).join(','), limit: 50 }).expect(200);
    const rows = await page.locator('[data-testid="feature-table"] tbody tr').count();
    expect(rows).toBe(api.body.features.length);
    expect(rows).toBeGreaterThan(0);
    await tabTo(page, '[data-key="row:0"]');
    await page.keyboard.press('Enter');
    // The details of the route chosen in the first test are still shown: wait for this row's selection, then its details.
    await page.waitForFunction((id) => String(window.haenau!.app.selection?.id) === id, String(api.body.features[0].id), { timeout: 10_000 }).catch(() => {});
    await page.waitForFunction(() => document.querySelector('[data-testid="details"] dl') !== null);
    expect(String(await selectionId(page))).toBe(String(api.body.features[0].id));
    const details = await page.locator('[data-testid="details"]').innerText();
    for (const [k, v] of Object.entries(api.body.features[0].properties as Record<string, unknown>).slice(0, 3)) {
      expect(details).toContain(k);
      expect(details).toContain(String(v));
    }
  });

  it('finds the schools near the chosen route in the browser, agreeing with the server’s ST_DWithin', async () => {
    const routeId = await selectionId(page);
    await tabTo(page, '[data-key="near-distance"]');
    await page.selectOption('[data-key="near-distance"]', '1000');
    await tabTo(page, '[data-key="near-find"]');
    await page.keyboard.press('Enter');
    const results = page.locator('[data-testid="near-results"]');
    await results.waitFor();
    expect(await results.getAttribute('data-where')).toBe('browser');
    const inBrowser = await results.locator('[data-layer="sample-schools"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const server = await request(ctx.t.app).get('/api/near').query({ from: `sample-active-travel-routes/${routeId}`, distance: 1000, collections: 'sample-schools', limit: 1000 }).expect(200);
    const features = server.body.collections[0].features as { id: string | number; distance: number }[];
    expect(features.length).toBeGreaterThan(0);
    // Turf measures on a sphere, PostGIS on the spheroid: leave out schools within 1% of the edge.
    const clear = (ids: (string | null)[], d: Map<string, number>) => ids.filter((id) => Math.abs((d.get(id!) ?? 0) - 1000) > 10);
    const distances = new Map(features.map((f) => [String(f.id), f.distance]));
    expect(clear(inBrowser, distances).sort()).toEqual(clear(features.map((f) => String(f.id)), distances).sort());
    await mapIdle(page);
    await screenshot(page, 'citizen-map-near');
  });

  it('asks the server (ST_DWithin) instead of the browser once a visible layer is too big to fetch whole', async () => {
    const { token } = await ctx.t.createPublisher('near-big');
    const slug = await ctx.t.createLayer(token, { title: { en: 'Many survey points' } });
    // A 50 × 50 grid of points over the chosen route's box (whichever route it is): more than the browser fetches whole.
    const routeId = await selectionId(page);
    const route = await request(ctx.t.app).get(`/ogc/collections/sample-active-travel-routes/items/${routeId}`).expect(200);
    const xs = (route.body.geometry.coordinates as number[][]).flat(2).filter((_, i) => i % 2 === 0);
    const ys = (route.body.geometry.coordinates as number[][]).flat(2).filter((_, i) => i % 2 === 1);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const points = Array.from({ length: 2500 }, (_, i) => pointFeature(`p${i}`, x0 + ((i % 50) / 49) * (x1 - x0), y0 + (Math.floor(i / 50) / 49) * (y1 - y0), { n: i }));
    await putData(ctx.t.app, slug, token, featureCollection(points)).expect(201);
    expect(BROWSER_NEAR_MAX_FEATURES).toBeLessThan(points.length);

    await tabTo(page, 'input[name="q"]', { back: true, max: 120 });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('survey points');
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => [...document.querySelectorAll('.app-card')].map((e) => e.getAttribute('data-layer')).join() === s, slug);
    await tabTo(page, `[data-key="add:${slug}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.app-overlay[data-layer="${slug}"]`);
    await tabTo(page, '[data-key="near-find"]', { max: 200 });
    await page.keyboard.press('Enter');
    const results = page.locator('[data-testid="near-results"][data-where="server"]');
    await results.waitFor();
    const listed = await results.locator(`[data-layer="${slug}"] li`).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const server = await request(ctx.t.app).get('/api/near').query({ from: `sample-active-travel-routes/${routeId}`, distance: 1000, collections: slug }).expect(200);
    const expected = (server.body.collections[0].features as { id: string }[]).map((f) => String(f.id));
    expect(expected.length).toBeGreaterThan(50);
    // The list shows the nearest 50 and its heading counts what the server sent (capped, marked "+").
    expect(listed).toEqual(expected.slice(0, 50));
    expect(await results.locator(`[data-layer="${slug}"] h3`).innerText()).toContain(String(expected.length));
    await mapIdle(page);
    await screenshot(page, 'citizen-map-near-server');
  });

  it('has no serious or critical axe (WCAG 2.2 AA) violations, in English and in Welsh', async () => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'cy');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
