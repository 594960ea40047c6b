import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD } from './helpers/accounts';
import { chromiumAvailable } from './helpers/clients';
import { type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { registerAndHarvest } from './helpers/harvest';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { mapIdle, screenshot, seriousAxeViolations, startViewer } from './helpers/viewer';
import { PORTAL_MESSAGES } from '../web/src/publish/messages';

/** The portal's English strings that Welsh does not use (names such as "OGC API – Features" it keeps): none may show on a Welsh page. */
const welshStrings = Object.values(PORTAL_MESSAGES.cy).filter((v): v is string => typeof v === 'string');
const englishOnly = Object.values(PORTAL_MESSAGES.en).filter((en): en is string => typeof en === 'string' && en.length >= 4 && !welshStrings.some((cy) => cy.includes(en)));

const ctx = useTestApp({ publisher: true });

describe.runIf(chromiumAvailable)('the publisher portal in a browser: sign in, see the layers and their health, roll back, sign out', () => {
  let viewer: Awaited<ReturnType<typeof startViewer>>;
  let page: Page;
  let council: FixtureServer;
  let email: string;
  let uploaded: string;
  let harvested: string;
  const created = `wards-${Date.now().toString(36)}`;
  const wardsFile = new URL('../../shared/data/uk-geodata/cardiff_electoral_wards_W06000015.geojson', import.meta.url).pathname;

  beforeAll(async () => {
    const { t, pub } = ctx;
    email = await createUser(t.app, pub.organisation, ['publisher']);
    uploaded = await t.createLayer(pub.token, { title: { en: 'Litter bins', cy: 'Biniau sbwriel' } });
    await putData(t.app, uploaded, pub.token, featureCollection([pointFeature('a', -3.2, 51.5)])).expect(201);
    await putData(t.app, uploaded, pub.token, featureCollection([pointFeature('a', -3.2, 51.5), pointFeature('b', -3.19, 51.49)])).expect(201);
    council = await startFixtureServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/geo+json' }).end(JSON.stringify(featureCollection([pointFeature('s1', -3.1, 51.6)]))));
    harvested = await t.createLayer(pub.token, { title: { en: 'Schools feed' } });
    await registerAndHarvest(t.app, harvested, pub.token, { url: `${council.origin}/schools.geojson`, schedule: 'daily' });
    viewer = await startViewer(t.app);
    page = await viewer.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${viewer.base}/publish/`);
  });
  afterAll(async () => {
    await viewer?.close();
    await council?.close();
  });

  it('refuses a wrong password with an error summary that takes focus, then signs in', async () => {
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', 'not the password at all');
    await page.click('button[type="submit"]');
    const error = page.locator('[data-testid="sign-in-error"]');
    await error.waitFor();
    expect(await error.innerText()).toContain('The email or password is wrong');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sign-in-error');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="layers"]');
    expect(await page.locator('#portal-nav').innerText()).toContain(ctx.pub.organisation);
  });

  it('lists the organisation’s layers with their status, and has no serious axe violations', async () => {
    const status = (slug: string) => page.locator(`tr[data-layer="${slug}"] [data-status]`).getAttribute('data-status');
    expect(await status(uploaded)).toBe('uploaded');
    expect(await status(harvested)).toBe('ok');
    expect(await page.locator(`tr[data-layer="${uploaded}"] th`).innerText()).toBe('Litter bins');
    await screenshot(page, 'portal-layers');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('creates a layer with metadata in both languages and a style shown as it is chosen', async () => {
    await page.click('[data-testid="new-layer"]');
    await page.waitForSelector('input[name="slug"]');
    await page.fill('input[name="slug"]', created);
    await page.fill('input[name="titleEn"]', 'Electoral wards');
    await page.fill('input[name="titleCy"]', 'Wardiau etholiadol');
    await page.fill('textarea[name="descriptionCy"]', 'Wardiau Caerdydd');
    await page.selectOption('select[name="theme"]', 'boundaries');
    await page.fill('input[name="colour"]', '#d4351c');
    await page.fill('input[name="lineWidth"]', '5');
    expect(await page.locator('[data-testid="style-preview"] circle').getAttribute('fill')).toBe('#d4351c');
    expect(await page.locator('[data-testid="style-preview"] polyline').getAttribute('stroke-width')).toBe('5');
    await screenshot(page, 'portal-new-layer');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('button[type="submit"]');
    await page.waitForFunction((slug) => location.hash === `#/layers/${slug}`, created);
    const layer = await request(ctx.t.app).get(`/api/layers/${created}`).set({ Authorization: `Bearer ${ctx.pub.token}` }).expect(200);
    expect(layer.body).toMatchObject({ title: { en: 'Electoral wards', cy: 'Wardiau etholiadol' }, theme: 'boundaries', style: { color: '#d4351c', lineWidth: 5 } });
  });

  it('uploads a real file with a progress bar, publishes it after the check, and refuses a bad one with its report', async () => {
    await page.waitForSelector('input[type="file"]');
    await page.setInputFiles('input[type="file"]', wardsFile);
    await page.click('text=Upload and check');
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-progress-text"]')?.textContent?.startsWith('Checked'));
    expect(await page.locator('[data-testid="upload-progress-text"]').innerText()).toMatch(/^Checked: 29 features ready/);
    // Checked is not published: nothing serves until the officer says so.
    await request(ctx.t.app).get(`/ogc/collections/${created}/items`).expect(404);
    await page.click('[data-testid="publish-upload"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-progress-text"]')?.textContent?.startsWith('Published'));
    expect(await page.locator('[data-testid="upload-progress-text"]').innerText()).toBe('Published as version 1 with 29 features.');
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="upload-progress"]').isVisible()).toBe(false);

    // A second check of the same file, discarded: still one version.
    await page.setInputFiles('input[type="file"]', wardsFile);
    await page.click('text=Upload and check');
    await page.click('[data-testid="discard-upload"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-progress-text"]')?.textContent?.startsWith('Discarded'));
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBe(1);

    const withHeight = { type: 'Feature', id: 'with-height', properties: {}, geometry: { type: 'Point', coordinates: [-3.19, 51.49, 20] } };
    const bad = JSON.stringify(featureCollection([pointFeature('ok', -3.2, 51.5), pointFeature('north-of-the-pole', -3.2, 95), withHeight]));
    await page.setInputFiles('input[type="file"]', { name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(bad) });
    await page.click('text=Upload and check');
    await page.waitForSelector('[data-testid="report"] tr[data-severity="error"]');
    expect(await page.locator('[data-testid="report"] tr[data-severity="error"]').innerText()).toContain('id north-of-the-pole');
    expect(await page.locator('[data-testid="error-summary"]:visible').count()).toBe(1);
    expect(await page.locator('[data-testid="upload-progress-text"]').innerText()).toBe('Not published: nothing was changed.');
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBe(1);
    // The problem with a place is on the map; the one outside the world's range has none.
    await page.waitForSelector('[data-testid="problems-map"][data-ready="1"]');
    expect(await page.locator('[data-testid="report"] [data-show-problem]').count()).toBe(1);
    await page.click('[data-show-problem="2"]');
    await page.waitForSelector('[data-testid="problem-popup"]');
    expect(await page.locator('[data-testid="problem-popup"]').innerText()).toContain('Feature 3 (id with-height)');
    await screenshot(page, 'portal-upload-report');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The citizen map draws what was just published.
    const map = await viewer.browser.newPage({ viewport: { width: 900, height: 700 } });
    await map.goto(`${viewer.base}/?lang=en&layers=${created}&map=11.5/51.49/-3.19`);
    await mapIdle(map);
    await map.waitForFunction((slug) => (window.haenau?.map.queryRenderedFeatures().filter((f) => f.source === `overlay:${slug}`).length ?? 0) > 0, created);
    await map.close();
  });

  it('registers a local WFS as a layer’s source and follows its first harvest to the end', async () => {
    const followed = await ctx.t.createLayer(ctx.pub.token, { title: { en: 'Wards, followed' } });
    await page.goto(`${viewer.base}/publish/#/layers/${followed}`);
    // Only the hash changed: wait for this layer's page before typing into it.
    await page.waitForSelector('h1:text("Wards, followed")');
    await page.fill('input[name="serviceUrl"]', `${viewer.base}/wfs?SERVICE=WFS&REQUEST=GetCapabilities`);
    await page.click('text=See what it offers');
    const option = page.locator(`select[name="featureType"] option[value$="${created}"]`);
    await option.waitFor({ state: 'attached' });
    await page.selectOption('select[name="featureType"]', (await option.getAttribute('value'))!);
    await page.selectOption('select[name="schedule"]', 'manual');
    await page.click('text=Follow and harvest now');
    await page.waitForSelector('[data-testid="health"] [data-status="ok"]');
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="versions"] tbody tr').innerText()).toContain('29');
    expect(await page.locator('[data-testid="harvests"] tbody tr [data-outcome]').getAttribute('data-outcome')).toBe('published');
    await screenshot(page, 'portal-followed');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows a layer’s versions and serves an earlier one again', async () => {
    await page.goto(`${viewer.base}/publish/#/`);
    await page.click(`tr[data-layer="${uploaded}"] a`);
    await page.waitForSelector('[data-testid="versions"]');
    expect(await page.locator('[data-testid="versions"] tbody tr').count()).toBe(2);
    // Version 2 kept feature a and added b.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-changes]')].every((c) => c.textContent !== ''));
    expect(await page.locator('[data-changes="2"]').innerText()).toBe('1 added, 0 removed, 0 changed');
    expect(await page.locator('[data-changes="1"]').innerText()).toBe('First version');
    // Either version on a map, from its own tiles, before choosing.
    const versionTiles: number[] = [];
    page.on('response', (r) => r.url().includes(`/api/layers/${uploaded}/versions/1/tiles/`) && versionTiles.push(r.status()));
    await page.click('[data-preview="1"]');
    await page.waitForSelector('[data-testid="version-map"][data-version="1"]');
    expect(await page.locator('[data-testid="version-preview"] h2').innerText()).toBe('Version 1 on the map');
    expect(versionTiles).toContain(200);
    await page.locator('[data-testid="version-map"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'portal-version-preview');
    await page.click('[data-rollback="1"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.includes('Version 1'));
    const layer = await request(ctx.t.app).get(`/api/layers/${uploaded}`).expect(200);
    expect(layer.body.currentVersion.version).toBe(1);
    await page.waitForSelector('[data-rollback="2"]');
    await screenshot(page, 'portal-versions');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows a harvested layer’s health and history, in Welsh too', async () => {
    await page.goto(`${viewer.base}/publish/#/layers/${harvested}`);
    await page.waitForSelector('[data-testid="health"]');
    expect(await page.locator('[data-testid="health"] [data-status]').getAttribute('data-status')).toBe('ok');
    expect(await page.locator('[data-testid="harvests"] tbody tr').count()).toBe(1);
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'cy');
    await page.waitForSelector('text=Iechyd y ffynhonnell');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('#language-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('shows every page in Welsh with no English of its own left, and no serious axe violations', async () => {
    for (const route of ['#/', '#/new', `#/layers/${uploaded}`, `#/layers/${harvested}`, '#/account']) {
      await page.goto(`${viewer.base}/publish/?lang=cy${route}`);
      await page.waitForFunction(() => document.documentElement.lang === 'cy' && document.querySelector('#content h1') !== null);
      await page.waitForFunction(() => [...document.querySelectorAll('[data-changes]')].every((c) => c.textContent !== ''));
      const text = await page.locator('body').innerText();
      expect(englishOnly.filter((en) => text.includes(en)), route).toEqual([]);
      expect(await seriousAxeViolations(page), route).toEqual([]);
    }
    await page.goto(`${viewer.base}/publish/?lang=en#/`);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  it('makes an API token shown once that then publishes, revokes it, and changes the password', async () => {
    await page.click('[data-testid="account"]');
    await page.waitForSelector('input[name="tokenName"]');
    await page.fill('input[name="tokenName"]', 'nightly script');
    await page.click('text=Make a token');
    const token = await page.locator('[data-testid="token-value"]').innerText();
    expect(token.length).toBeGreaterThan(20);
    await putData(ctx.t.app, uploaded, token, featureCollection([pointFeature('z', -3.2, 51.5)])).expect(201);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${viewer.base}/publish/#/`);
    await page.goto(`${viewer.base}/publish/#/account`);
    await page.click('text=Revoke nightly script');
    await page.waitForSelector('[data-testid="tokens"] .govuk-tag--grey');
    await putData(ctx.t.app, uploaded, token, featureCollection([pointFeature('z', -3.2, 51.5)])).expect(401);

    await page.fill('input[name="currentPassword"]', PASSWORD);
    await page.fill('input[name="newPassword"]', 'a new and longer passphrase');
    await page.click('text=Change password');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.includes('password has been changed'));
    await request(ctx.t.app).post('/api/session').send({ email, password: 'a new and longer passphrase' }).expect(201);
  });

  it('signs out: the session ends and the sign-in form is back', async () => {
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('input[name="email"]');
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'haenau_session')).toBeUndefined();
  });
});
