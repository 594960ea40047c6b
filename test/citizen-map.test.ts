import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers/clients';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { drawnPerLayer, mapIdle, screenshot, startViewer } from './helpers/viewer';

const ctx = useTestApp({ seed: true, publisher: true });
const THREE = ['sample-wards', 'sample-active-travel-routes', 'sample-schools'];
const HOSTILE_IMG = '<img src=x onerror="window.__xss=1">';
const HOSTILE_SCRIPT = '<script>window.__xss=2</script>';

const shot = (page: Page, name: string) => screenshot(page, `citizen-map-${name}`);

describe.runIf(chromiumAvailable)('the citizen map in Chromium', () => {
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    // A layer whose values are markup, published by another body and given no Welsh title.
    const hostile = await ctx.t.createLayer(ctx.pub.token, { title: { en: 'Community notices' }, theme: 'community' });
    await putData(ctx.t.app, hostile, ctx.pub.token, featureCollection([pointFeature('n1', -3.35, 52.1, { name: HOSTILE_IMG, note: HOSTILE_SCRIPT })])).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    viewer = await startViewer(ctx.t.app);
    browser = viewer.browser;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: viewer.base });
    page = await context.newPage();
    // Requests from MapLibre's workers too (tiles), which the page's resource timing does not list.
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${viewer.base}/?lang=en`);
    await page.waitForSelector('[data-key="add:sample-schools"]');
    // The filters arrive separately and re-render the form: start once they are in.
    await page.waitForSelector('select[name="publisher"] option[value="sample-council"]', { state: 'attached' });
  });
  afterAll(() => viewer?.close());

  it('serves the built app at / with a strict Content-Security-Policy and gzipped assets', async () => {
    const res = await request(ctx.t.app).get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(res.text)![1]!;
    const asset = await request(ctx.t.app).get(js).set('Accept-Encoding', 'gzip').expect(200);
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('searches the catalogue in Welsh and filters by publisher', async () => {
    expect(await page.locator('.app-card').count()).toBe(4);
    await page.fill('input[name="q"]', 'ysgolion');
    await page.click('form[role="search"] button[type="submit"]');
    expect(await cardsAfterSearch(page, 'sample-schools')).toEqual(['sample-schools']);
    await page.fill('input[name="q"]', '');
    await page.selectOption('select[name="publisher"]', 'sample-boundary-commission');
    await page.click('form[role="search"] button[type="submit"]');
    expect(await cardsAfterSearch(page, 'sample-wards')).toEqual(['sample-wards']);
    const card = await page.locator('.app-card').innerText();
    const { body: wards } = await request(ctx.t.app).get('/api/layers/sample-wards').expect(200);
    for (const expected of ['Sample Boundary Commission (sample data)', 'OGL-UK-3.0', 'Last updated', `Features\t${wards.featureCount}`]) expect(card).toContain(expected);
    await page.selectOption('select[name="publisher"]', '');
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('.app-card').length === 4);
  });

  it('overlays three layers from three publishers, each drawn from its tiles, with a legend from the drawn styles', async () => {
    for (const slug of THREE) await page.click(`[data-key="add:${slug}"]`);
    await mapIdle(page);
    await shot(page, 'three-layers');
    // Added last is on top of the list.
    expect(await page.locator('.app-overlay').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')))).toEqual([...THREE].reverse());
    const drawn = await drawnPerLayer(page);
    for (const slug of THREE) expect(drawn[slug] ?? 0, slug).toBeGreaterThan(5);
    const legend = await page.locator('[data-testid="legend"] li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-layer'), e.querySelector('.app-swatch')!.getAttribute('data-colour')]));
    // The stored styles of the samples: schools blue, routes green, wards orange.
    expect(Object.fromEntries(legend)).toEqual({ 'sample-schools': '#1d70b8', 'sample-active-travel-routes': '#00703c', 'sample-wards': '#f47738' });
    const tiles = requested.filter((n) => n.includes('/tiles/'));
    expect(tiles.length).toBeGreaterThan(0);
    const paths = tiles.map((n) => new URL(n).pathname + new URL(n).search);
    // Only TileJSON and tiles: per-layer or dataset tile URLs, nothing else under /tiles/.
    expect(paths.filter((p) => !/^\/ogc\/(collections\/[a-z0-9-]+\/)?tiles\/WebMercatorQuad(\/\d+\/\d+\/\d+)?(\?[\w=&%,.-]*)?$/.test(p))).toEqual([]);
    expect(paths.filter((p) => /\/\d+\/\d+\/\d+/.test(p)).length).toBeGreaterThan(2);
    // Feature data comes from tiles: the only items requests are the table view's, bounded by the view and 50 rows.
    const items = requested.filter((n) => n.includes('/items'));
    expect(items.filter((n) => !(new URL(n).searchParams.has('bbox') && Number(new URL(n).searchParams.get('limit')) <= 50))).toEqual([]);
  });

  it('shows a clicked feature’s attributes as text, never as markup', async () => {
    await page.click('[data-key="add:' + (await page.locator('.app-card', { hasText: 'Community notices' }).getAttribute('data-layer')) + '"]');
    await page.evaluate(() => window.haenau!.map.jumpTo({ center: [-3.35, 52.1], zoom: 12 }));
    await mapIdle(page);
    const box = (await page.locator('#map').boundingBox())!;
    const pt = await page.evaluate(() => window.haenau!.map.project([-3.35, 52.1]));
    await page.mouse.click(box.x + pt.x, box.y + pt.y);
    const popup = page.locator('[data-testid="popup"]');
    await popup.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="details"] dl') !== null);
    await shot(page, 'hostile-popup');
    expect(await popup.innerText()).toContain(HOSTILE_IMG);
    expect(await popup.innerText()).toContain(HOSTILE_SCRIPT);
    expect(await page.locator('[data-testid="details"]').innerText()).toContain(HOSTILE_SCRIPT);
    expect(await page.locator('.app-popup img, .app-popup script, [data-testid="details"] img, [data-testid="details"] script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('reorders layers by dragging one onto another', async () => {
    const order = () => page.locator('.app-overlay').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')));
    const before = await order();
    const last = before[before.length - 1]!;
    // The mouse as a person drags: press on the card's edge (not a control), move in steps, release.
    await page.locator('#your-map-heading').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    const from = (await page.locator(`.app-overlay[data-layer="${last}"]`).boundingBox())!;
    const to = (await page.locator(`.app-overlay[data-layer="${before[0]}"]`).boundingBox())!;
    await page.mouse.move(from.x + 4, from.y + 4);
    await page.mouse.down();
    await page.mouse.move(to.x + 20, to.y + 6, { steps: 12 });
    await page.mouse.up();
    expect(await order()).toEqual([last, ...before.slice(0, -1)]);
    // The map draws them in that order too: the dragged layer's style layers now come last (on top).
    const mapOrder = await page.evaluate(() => {
      const { map } = window.haenau!;
      return map.getStyle().layers.map((l) => l.id).filter((id) => id.startsWith('overlay:'));
    });
    expect(mapOrder[mapOrder.length - 1]!.startsWith(`overlay:${last}:`)).toBe(true);
  });

  it('round-trips a share link: layers, order, opacity, visibility, view and language', async () => {
    const schools = page.locator('.app-overlay[data-layer="sample-schools"]');
    await schools.locator('input[type="range"]').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('.app-overlay[data-layer="sample-wards"] input[type="checkbox"]').uncheck();
    // The drag above left the wards on top.
    await page.locator('.app-overlay[data-layer="sample-wards"] button[aria-label^="Move down"]').click();
    await page.click('#language-switch');
    await page.evaluate(() => window.haenau!.map.jumpTo({ center: [-3.4, 52.05], zoom: 9.25 }));
    await page.waitForFunction(() => (document.querySelector('[data-testid="share-url"]') as HTMLInputElement).value.includes('map=9.25'));
    const shared = await page.inputValue('[data-testid="share-url"]');
    expect(page.url()).toBe(shared);
    await page.click('[data-key="copy-link"]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shared);

    const before = await overlayState(page);
    expect(before.find((o) => o.slug === 'sample-schools')!.opacity).toBe('60%');
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(shared);
    await other.waitForFunction((n) => document.querySelectorAll('.app-overlay').length === n, before.length);
    await mapIdle(other);
    expect(await overlayState(other)).toEqual(before);
    expect(await other.evaluate(() => document.documentElement.lang)).toBe('cy');
    const view = await other.evaluate(() => {
      const { map } = window.haenau!;
      return { zoom: map.getZoom(), ...map.getCenter() };
    });
    expect(view.zoom).toBeCloseTo(9.25, 2);
    expect(view.lng).toBeCloseTo(-3.4, 4);
    expect(view.lat).toBeCloseTo(52.05, 4);
    const drawn = await drawnPerLayer(other);
    expect(drawn['sample-wards'] ?? 0).toBe(0);
    expect(drawn['sample-schools']).toBeGreaterThan(0);
    await other.close();
  });

  it('speaks Welsh throughout, and marks publisher text that exists only in English', async () => {
    expect(await page.locator('#find-heading').innerText()).toBe('Dod o hyd i haenau');
    expect(await page.locator('#language-switch').innerText()).toBe('English');
    expect(await page.locator('.app-card[data-layer="sample-schools"] h3').innerText()).toBe('Ysgolion (data sampl)');
    const fallback = page.locator('.app-card', { hasText: 'Community notices' }).locator('h3');
    expect(await fallback.getAttribute('lang')).toBe('en');
    expect(await fallback.innerText()).toContain('(yn Saesneg yn unig)');
    // MapLibre's own controls speak the chosen language too.
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('aria-label')).toBe('Chwyddo i mewn');
    expect(await page.locator('.maplibregl-ctrl-zoom-out').getAttribute('title')).toBe('Chwyddo allan');
    await shot(page, 'welsh');
    await page.click('#language-switch');
    expect(await page.locator('#find-heading').innerText()).toBe('Find layers');
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('aria-label')).toBe('Zoom in');
    expect(await page.locator('.maplibregl-ctrl-zoom-in').count()).toBe(1);
  });
});

/** The cards shown once the answer holding `expected` has arrived. */
async function cardsAfterSearch(page: Page, expected: string): Promise<string[]> {
  await page.waitForFunction((slug) => [...document.querySelectorAll('.app-card')].map((e) => e.getAttribute('data-layer')).join() === slug, expected).catch(() => {});
  return page.locator('.app-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-layer')!));
}

async function overlayState(page: Page) {
  return page.locator('.app-overlay').evaluateAll((els) =>
    els.map((e) => ({
      slug: e.getAttribute('data-layer'),
      visible: (e.querySelector('input[type="checkbox"]') as HTMLInputElement).checked,
      opacity: e.querySelector('output')!.textContent,
    })),
  );
}
