import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harvestNow, registerAndHarvest } from './helpers/harvest';
import { cgiBody, type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { bearer, createTestApp, currentFeatures, type TestApp } from './helpers/test-app';

const DATA = new URL('../../shared/data/', import.meta.url);
const wardsText = readFileSync(new URL('uk-geodata/cardiff_electoral_wards_W06000015.geojson', DATA), 'utf8');
const wards = JSON.parse(wardsText) as { features: Array<{ properties: Record<string, string> }> };

/** What the stand-in council server does next; tests switch it to break it in different ways. */
let behaviour: 'ok' | 'etag-ignored' | 'changed' | '500' | 'html' | 'truncated' | 'hang' = 'ok';

describe('harvesting GeoJSON URLs and OGC API services, and keeping the last good copy when they fail', () => {
  let t: TestApp;
  let token: string;
  let council: FixtureServer;
  let ogc: FixtureServer;

  beforeAll(async () => {
    t = await createTestApp({}, { HAENAU_HARVEST_TIMEOUT_MS: '1500', HAENAU_HARVEST_RETRIES: '1' });
    ({ token } = await t.createPublisher('harvest'));
    council = await startFixtureServer((req, res) => {
      if (behaviour === 'hang') return; // never answers
      if (behaviour === '500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error: database connection lost');
      if (behaviour === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Site under maintenance</body></html>');
      if (behaviour === 'truncated') return void res.writeHead(200, { 'content-type': 'application/geo+json' }).end(wardsText.slice(0, 5000));
      const body = behaviour === 'changed' ? wardsText.replace('"Adamsdown"', '"Adamsdown (new)"') : wardsText;
      const etag = behaviour === 'etag-ignored' ? undefined : `"wards-${body.length}"`;
      if (etag && req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/geo+json', ...(etag ? { etag } : {}) }).end(body);
    });
    const recorded = (name: string) => readFileSync(new URL(`ogcapi-features/mapserver-msautotest_${name}`, DATA), 'utf8');
    ogc = await startFixtureServer((_req, res, url) => {
      const rewrite = (s: string) => s.replaceAll('http://localhost/cgi-bin/mapserv/OGCAPI_TEST/ogcapi', `${ogc.origin}/ogcapi`);
      const send = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(rewrite(body));
      if (url.pathname === '/ogcapi') return send(recorded('ogcapi_root.json'));
      if (url.pathname === '/ogcapi/collections') return send(recorded('ogcapi_collections.json'));
      if (url.pathname === '/ogcapi/collections/mn_counties/items') {
        // Two recorded pages: the first's "next" is pointed at the second, which ends the collection.
        if ((url.searchParams.get('offset') ?? '0') === '0') return send(recorded('ogcapi_collections_mn_counties_items_limit_1.json').replace('offset=1', 'offset=2'));
        const last = JSON.parse(recorded('ogcapi_collections_mn_counties_items_limit_1_offset_2.json'));
        last.links = last.links.filter((l: { rel: string }) => l.rel !== 'next');
        return send(JSON.stringify(last));
      }
      res.writeHead(404).end();
    });
  }, 60_000);
  afterAll(async () => {
    behaviour = 'ok';
    await council?.close();
    await ogc?.close();
    await t?.close();
  });

  it('says what a GeoJSON URL offers, only to a signed-in caller', async () => {
    await request(t.app).post('/api/sources/inspect').send({ url: `${council.origin}/wards.geojson` }).expect(401);
    const res = await request(t.app).post('/api/sources/inspect').set(bearer(token)).send({ url: `${council.origin}/wards.geojson` }).expect(200);
    expect(res.body.kind).toBe('geojson');
    expect(res.body.featureTypes).toEqual([{ id: 'features', title: 'wards.geojson', description: '29 features' }]);
  });

  it('harvests a GeoJSON URL through the upload path, then makes no new version while nothing changes', async () => {
    const slug = await t.createLayer(token);
    const { registration, harvest } = await registerAndHarvest(t.app, slug, token, { url: `${council.origin}/wards.geojson`, schedule: 'daily' });
    expect(registration.source).toMatchObject({ kind: 'geojson', schedule: 'daily' });
    expect(harvest).toMatchObject({ status: 'published', trigger: 'registration', features: 29 });
    const rows = await currentFeatures(t, slug);
    expect(rows).toHaveLength(29);
    expect(rows.map((r) => r.properties.WD13NM).sort()).toEqual(wards.features.map((f) => f.properties.WD13NM).sort());
    const version = (await t.deps.layers.get(slug))!.currentVersion!;
    expect(version.source).toMatchObject({ kind: 'harvest', sourceKind: 'geojson', url: `${council.origin}/wards.geojson` });
    expect(version.report).toMatchObject({ featuresLoaded: 29, crsSource: 'file' });

    // The service answers 304 to the ETag it gave.
    const again = await harvestNow(t.app, slug, token);
    expect(again).toMatchObject({ status: 'unchanged', features: 0 });
    expect(again.message).toMatch(/nothing has changed/);
    // Without ETags, the same bytes hash the same.
    behaviour = 'etag-ignored';
    const same = await harvestNow(t.app, slug, token);
    expect(same).toMatchObject({ status: 'unchanged', features: 29 });
    expect(same.message).toMatch(/exactly the same features/);
    expect((await t.deps.layers.get(slug))!.currentVersion!.version).toBe(version.version);

    behaviour = 'changed';
    const changed = await harvestNow(t.app, slug, token);
    expect(changed.status).toBe('published');
    const now = (await t.deps.layers.get(slug))!.currentVersion!;
    expect(now.version).toBe(version.version + 1);
    expect((await currentFeatures(t, slug)).map((r) => r.properties.WD13NM)).toContain('Adamsdown (new)');

    const health = await request(t.app).get(`/api/layers/${slug}/health`).set(bearer(token)).expect(200);
    expect(health.body).toMatchObject({ status: 'ok', lastError: null, servingVersion: now.version });
    expect(health.body.harvests.map((h: { status: string }) => h.status)).toEqual(['published', 'unchanged', 'unchanged', 'published']);
  });

  it.each([
    ['500', /HTTP 500: "Internal Server Error: database connection lost"/],
    ['html', /sent text\/html where JSON was expected/],
    ['truncated', /not valid JSON/],
    ['hang', /did not send its whole response within 1.5 seconds/],
  ] as const)('keeps serving the last good version when the service fails (%s) and says why', async (failure, why) => {
    behaviour = 'ok';
    const slug = await t.createLayer(token);
    await registerAndHarvest(t.app, slug, token, { url: `${council.origin}/wards-${failure}.geojson`, schedule: 'hourly' });
    const good = (await t.deps.layers.get(slug))!.currentVersion!;
    behaviour = failure;
    const failed = await harvestNow(t.app, slug, token);
    behaviour = 'ok';
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(why);
    expect(failed.message).toMatch(/last good version is still being served/);
    expect((await t.deps.layers.get(slug))!.currentVersion!.id).toBe(good.id);
    expect(await currentFeatures(t, slug)).toHaveLength(29);
    const ogcItems = await request(t.app).get(`/ogc/collections/${slug}/items?limit=100`).expect(200);
    expect(ogcItems.body.features).toHaveLength(29);
    const health = await request(t.app).get(`/api/layers/${slug}/health`).set(bearer(token)).expect(200);
    expect(health.body.status).toBe('failing');
    expect(health.body.lastError).toMatch(why);
    expect(health.body.lastSuccess).not.toBeNull();
  });

  it('fails clearly when the council server is down, and recovers on the next harvest', async () => {
    const down = await startFixtureServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/geo+json' }).end(wardsText));
    const slug = await t.createLayer(token);
    await registerAndHarvest(t.app, slug, token, { url: `${down.origin}/wards.geojson`, kind: 'geojson' });
    await down.close();
    const failed = await harvestNow(t.app, slug, token);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/Could not connect to 127\.0\.0\.1:\d+: connection refused/);
    expect(await currentFeatures(t, slug)).toHaveLength(29);
  });

  it('harvests an OGC API – Features collection from recorded MapServer responses, following next links', async () => {
    const described = await request(t.app).post('/api/sources/inspect').set(bearer(token)).send({ url: `${ogc.origin}/ogcapi` }).expect(200);
    expect(described.body.kind).toBe('ogcapi');
    expect(described.body.featureTypes.map((f: { id: string }) => f.id)).toContain('mn_counties');
    const slug = await t.createLayer(token);
    const { harvest } = await registerAndHarvest(t.app, slug, token, { url: `${ogc.origin}/ogcapi`, collectionId: 'mn_counties', schedule: 'weekly' });
    expect(harvest).toMatchObject({ status: 'published', pages: 2, features: 2 });
    const rows = await currentFeatures(t, slug);
    expect(rows.map((r) => [r.feature_id, r.properties.Name])).toEqual([
      ['39', 'Lake of the Woods'],
      ['68', 'Roseau'],
    ]);
    expect(ogc.requests.filter((r) => r.includes('/items'))).toHaveLength(2);
  });

  it('refuses what it cannot or must not read, naming why', async () => {
    const slug = await t.createLayer(token);
    const put = (body: Record<string, unknown>) => request(t.app).put(`/api/layers/${slug}/source`).set(bearer(token)).send(body);
    expect((await put({ url: 'ftp://example.org/x' }).expect(400)).body.detail).toMatch(/http/);
    expect((await put({ url: `${council.origin}/wards.geojson`, schedule: 'every tuesday' }).expect(400)).body.detail).toMatch(/cron/);
    expect((await put({ url: `${ogc.origin}/ogcapi`, collectionId: 'nope' }).expect(400)).body.detail).toMatch(/does not offer "nope".*mn_counties/);
    // Loopback outside the allowlist: refused before any connection.
    const refused = await put({ url: `http://127.0.0.2:${new URL(council.origin).port}/wards.geojson` }).expect(422);
    expect(refused.body.detail).toMatch(/loopback/);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const other = await t.createPublisher('other');
    await request(t.app).post(`/api/layers/${slug}/harvest`).set(bearer(other.token)).expect(403);
    await request(t.app).get(`/api/layers/${slug}/health`).expect(401);
  });
});
