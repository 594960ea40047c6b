import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapservAvailable } from './helpers/clients';
import { cgiBody, type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { harvestNow, registerAndHarvest } from './helpers/harvest';
import { startMapServer } from './helpers/mapserver';
import { bearer, createTestApp, currentFeatures, useTestApp } from './helpers/test-app';
import { testBackend } from './helpers/test-db';

const WFS = new URL('../../shared/data/wfs/', import.meta.url);
const recorded = (name: string) => cgiBody(readFileSync(new URL(`mapserver-msautotest_${name}`, WFS), 'utf8'));
const wards = JSON.parse(readFileSync(new URL('../../shared/data/uk-geodata/cardiff_electoral_wards_W06000015.geojson', import.meta.url), 'utf8')) as {
  features: Array<{ properties: Record<string, string>; geometry: unknown }>;
};

const ctx = useTestApp({ publisher: true });

describe('harvesting WFS services: recorded MapServer responses, a real MapServer, and hostile XML', () => {
  let recordedWfs: FixtureServer;
  let hostile: FixtureServer;

  beforeAll(async () => {
    // Recorded MapServer answers: capabilities and GetFeature of the same "province" layer, WFS 2.0 and 1.1.
    recordedWfs = await startFixtureServer((_req, res, url) => {
      const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toUpperCase(), v]));
      const v11 = url.pathname.includes('wfs11');
      const body =
        q.REQUEST === 'GetCapabilities' ? recorded(v11 ? 'wfs11_cap.xml' : 'wfs20_cap.xml') : q.REQUEST === 'GetFeature' ? recorded(v11 ? 'wfs11_get_feature.xml' : 'wfs_200_post_getfeature.xml') : undefined;
      if (!body) return void res.writeHead(400).end();
      res.writeHead(200, { 'content-type': 'text/xml; charset=UTF-8' }).end(body);
    });
    hostile = await startFixtureServer((_req, res, url) => {
      if (url.pathname === '/laughs') {
        const lol = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n<WFS_Capabilities version="2.0.0">&lol9;</WFS_Capabilities>`;
        return void res.writeHead(200, { 'content-type': 'text/xml' }).end(lol);
      }
      if (url.pathname === '/truncated') {
        const q = url.searchParams.get('REQUEST');
        const body = q === 'GetCapabilities' ? recorded('wfs20_cap.xml') : recorded('wfs_200_post_getfeature.xml').slice(0, 3000);
        return void res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await recordedWfs?.close();
    await hostile?.close();
  });

  it.each([
    ['2.0.0', '/wfs20', 'ms:province', 'province.977'],
    ['1.1.0', '/wfs11', 'province', 'province.Quebec'],
  ])('reads WFS %s capabilities and GML features as MapServer sent them, with the axes the right way round', async (version, path, typeName, firstId) => {
    const { pub, t } = ctx;
    const inspected = await request(t.app).post('/api/sources/inspect').set(bearer(pub.token)).send({ url: `${recordedWfs.origin}${path}?SERVICE=WFS` }).expect(200);
    expect(inspected.body).toMatchObject({ kind: 'wfs', version });
    expect(inspected.body.featureTypes[0]).toMatchObject({ id: typeName });
    const slug = await t.createLayer(pub.token);
    const { harvest } = await registerAndHarvest(t.app, slug, pub.token, { kind: 'wfs', url: `${recordedWfs.origin}${path}`, typeName });
    expect(harvest, harvest.message).toMatchObject({ status: 'published', features: 21 });
    const rows = await currentFeatures(t, slug);
    expect(rows).toHaveLength(21);
    expect(rows[0]!.feature_id).toBe(firstId);
    // MapServer's WFS 1.1 builds ids from the province name, which repeats: the repeats lose their ids, and the report says so.
    const report = (await t.deps.layers.get(slug))!.currentVersion!.report as { byCode: Record<string, number> };
    expect(report.byCode['repeated-ids-dropped'] ?? 0).toBe(version === '1.1.0' ? 1 : 0);
    // Canada's provinces: every position west of 52° W and north of 41° N, whatever order the server wrote them in.
    const extent = (await t.deps.layers.get(slug))!.currentVersion!.bbox!;
    expect(extent[2]).toBeLessThan(-52);
    expect(extent[1]).toBeGreaterThan(41);
  });

  it('harvests a WFS that cannot page and stops at its limit tile by tile, each feature once', async () => {
    // 81 bins on a 9 × 9 grid whose middle row and column lie on the tile edges; the server sends at most 10 at a time.
    const bins = Array.from({ length: 81 }, (_, i) => ({ type: 'Feature', id: `bin.${i}`, properties: { n: i }, geometry: { type: 'Point', coordinates: [-3.3 + (i % 9) * 0.025, 51.4 + Math.floor(i / 9) * 0.025] } }));
    const capabilities = `<?xml version="1.0"?>
<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs" xmlns:ows="http://www.opengis.net/ows">
  <ows:ServiceIdentification><ows:Title>Limited council WFS</ows:Title></ows:ServiceIdentification>
  <ows:OperationsMetadata><ows:Operation name="GetFeature"><ows:Parameter name="outputFormat"><ows:Value>text/xml; subtype=gml/3.1.1</ows:Value><ows:Value>application/json</ows:Value></ows:Parameter></ows:Operation></ows:OperationsMetadata>
  <wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>council:bins</wfs:Name><wfs:Title>Litter bins</wfs:Title><wfs:DefaultSRS>urn:ogc:def:crs:EPSG::4326</wfs:DefaultSRS>
    <ows:WGS84BoundingBox><ows:LowerCorner>-3.3 51.4</ows:LowerCorner><ows:UpperCorner>-3.1 51.6</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType></wfs:FeatureTypeList>
</wfs:WFS_Capabilities>`;
    const limited = await startFixtureServer((_req, res, url) => {
      const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toUpperCase(), v]));
      if (q.REQUEST === 'GetCapabilities') return void res.writeHead(200, { 'content-type': 'text/xml' }).end(capabilities);
      if (q.RESULTTYPE === 'hits') return void res.writeHead(200, { 'content-type': 'text/xml' }).end(`<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" numberOfFeatures="${bins.length}"/>`);
      const [minLat, minLon, maxLat, maxLon] = (q.BBOX ?? '-90,-180,90,180').split(',').map(Number) as [number, number, number, number];
      const inside = bins.filter(({ geometry: { coordinates: [x, y] } }) => x! >= minLon && x! <= maxLon && y! >= minLat && y! <= maxLat);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', features: inside.slice(0, 10) }));
    });
    try {
      const { pub, t } = ctx;
      const slug = await t.createLayer(pub.token);
      const { harvest } = await registerAndHarvest(t.app, slug, pub.token, { url: `${limited.origin}/wfs`, typeName: 'council:bins' });
      expect(harvest, harvest.message).toMatchObject({ status: 'published' });
      const rows = await currentFeatures(t, slug);
      expect(rows.map((r) => r.feature_id).sort()).toEqual(bins.map((b) => b.id).sort());
      expect(limited.requests.filter((r) => r.includes('BBOX=')).length).toBeGreaterThan(4);
    } finally {
      await limited.close();
    }
  });

  it('refuses a billion-laughs document quickly without expanding it, and keeps the last good copy when GML arrives cut short', async () => {
    const { pub, t } = ctx;
    const started = Date.now();
    const laughs = await request(t.app).post('/api/sources/inspect').set(bearer(pub.token)).send({ url: `${hostile.origin}/laughs?service=WFS`, kind: 'wfs' }).expect(422);
    expect(laughs.body.detail).toMatch(/document type declaration/);
    expect(Date.now() - started).toBeLessThan(5000);

    const slug = await t.createLayer(pub.token);
    await registerAndHarvest(t.app, slug, pub.token, { kind: 'wfs', url: `${recordedWfs.origin}/wfs20`, typeName: 'ms:province' });
    await request(t.app).put(`/api/layers/${slug}/source`).set(bearer(pub.token)).send({ kind: 'wfs', url: `${hostile.origin}/truncated`, typeName: 'ms:province' }).expect(200);
    const failed = await harvestNow(t.app, slug, pub.token);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/XML|GML/);
    expect(await currentFeatures(t, slug)).toHaveLength(21);
    const health = await request(t.app).get(`/api/layers/${slug}/health`).set(bearer(pub.token)).expect(200);
    expect(health.body.status).toBe('failing');
  });

  // MapServer reads the fixture table from the server database, whichever back end Haenau runs on here.
  describe.runIf(mapservAvailable && !!process.env.TEST_DATABASE_URL)('from a real MapServer 8 WFS', () => {
    const table = `harvest_wards_${testBackend()}_${process.pid}`;
    let knex: import('knex').Knex;
    let gml: FixtureServer;
    let geojson: FixtureServer;

    beforeAll(async () => {
      knex = (await import('knex')).default({ client: 'pg', connection: process.env.TEST_DATABASE_URL });
      await knex.raw(`DROP TABLE IF EXISTS ${table}`);
      await knex.raw(`CREATE TABLE ${table} (code text PRIMARY KEY, name text, name_cy text, geom geometry(MultiPolygon, 4326))`);
      for (const f of wards.features) {
        await knex.raw(`INSERT INTO ${table} VALUES (?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)))`, [f.properties.WD13CD!, f.properties.WD13NM!, f.properties.WD13NMW!, JSON.stringify(f.geometry)]);
      }
      const layers = [{ name: 'wards', table, id: 'code', type: 'POLYGON' as const }];
      gml = await startMapServer(process.env.TEST_DATABASE_URL!, layers);
      geojson = await startMapServer(process.env.TEST_DATABASE_URL!, layers, { geojson: true });
    });
    afterAll(async () => {
      await gml?.close();
      await geojson?.close();
      await knex?.raw(`DROP TABLE IF EXISTS ${table}`);
      await knex?.destroy();
    });

    it.each([
      ['GML 3.2 only', () => gml],
      ['GeoJSON offered too', () => geojson],
    ])('harvests every ward with its attributes and shape (%s)', async (_format, server) => {
      const { pub, t } = ctx;
      const slug = await t.createLayer(pub.token);
      const { harvest } = await registerAndHarvest(t.app, slug, pub.token, { url: `${server().origin}/mapserv?map=fixture&SERVICE=WFS`, typeName: 'wards', schedule: 'daily' });
      expect(harvest.status).toBe('published');
      const requests = server().requests.filter((r) => /GetFeature/i.test(r));
      // MapServer is asked for its default GML 3.2 even when it offers GeoJSON: it writes GML in about half the time.
      expect(requests.at(-1)).toMatch(/^(?!.*OUTPUTFORMAT)/i);
      const rows = await currentFeatures(t, slug);
      expect(rows).toHaveLength(wards.features.length);
      const byCode = new Map(rows.map((r) => [String(r.properties.code), r]));
      for (const f of wards.features) {
        const row = byCode.get(f.properties.WD13CD!)!;
        expect(row.properties.name).toBe(f.properties.WD13NM);
        expect(row.properties.name_cy).toBe(f.properties.WD13NMW);
      }
      // Same shapes: the area of every ward agrees with the source to 0.01% (MapServer writes 6 decimals in GML).
      const { rows: areas } = (await t.deps.db.knex.raw(
        `SELECT properties->>'code' AS code, ST_Area(geom::geography) AS area FROM layer_data."${(await t.deps.layers.get(slug))!.currentVersion!.tableName}"`,
      )) as { rows: Array<{ code: string; area: number }> };
      const { rows: expected } = (await knex.raw(`SELECT code, ST_Area(geom::geography) AS area FROM ${table}`)) as { rows: Array<{ code: string; area: number }> };
      const want = new Map(expected.map((r) => [r.code, r.area]));
      for (const a of areas) expect(Math.abs(a.area / want.get(a.code)! - 1)).toBeLessThan(1e-4);
      // Harvested again, the same wards make no new version, though MapServer stamps each response anew.
      const again = await harvestNow(t.app, slug, pub.token);
      expect(again).toMatchObject({ status: 'unchanged', features: wards.features.length });
    });

    it('pages MapServer five wards at a time, sorted by the column its feature ids come from, each ward once', async () => {
      // MapServer's LIMIT/OFFSET has no ORDER BY of its own; unsorted, its pages may overlap on big tables.
      const small = await createTestApp({}, { HAENAU_HARVEST_PAGE_SIZE: '5' });
      try {
        const { token } = await small.createPublisher();
        const slug = await small.createLayer(token);
        const before = gml.requests.length;
        const { harvest } = await registerAndHarvest(small.app, slug, token, { url: `${gml.origin}/mapserv?map=fixture&SERVICE=WFS`, typeName: 'wards' });
        expect(harvest, harvest.message).toMatchObject({ status: 'published', features: wards.features.length });
        const pages = gml.requests.slice(before).filter((r) => /GetFeature/i.test(r) && /COUNT=5\b/.test(r));
        expect(pages).toHaveLength(Math.ceil(wards.features.length / 5));
        for (const page of pages) expect(page).toMatch(/SORTBY=code(&|$)/);
        const codes = (await currentFeatures(small, slug)).map((r) => String(r.properties.code)).sort();
        expect(codes).toEqual(wards.features.map((f) => f.properties.WD13CD!).sort());
      } finally {
        await small.close();
      }
    });
  });
});
