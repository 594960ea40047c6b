import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from './helpers/fixture-server';
import { harvestNow, registerAndHarvest } from './helpers/harvest';
import { bearer, createTestApp, currentFeatures, type TestApp } from './helpers/test-app';

// 25 sites, 10 to a page: three pages.
const sites = Array.from({ length: 25 }, (_, i) => ({ code: `site-${String(i + 1).padStart(2, '0')}`, lon: -3.3 + (i % 5) * 0.05, lat: 51.45 + Math.floor(i / 5) * 0.02 }));

interface Behaviour {
  /** What the capabilities say of FES ImplementsSorting. */
  sorting: boolean;
  /** Unsorted, the order changes from request to request (as MapServer's parallel LIMIT/OFFSET scans do). */
  unstable: boolean;
  /** gml:ids that no property holds (e.g. generated ones). */
  opaqueIds?: boolean;
}

const capabilities = (sorting: boolean) => `<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:fes="http://www.opengis.net/fes/2.0">
  <ows:ServiceIdentification><ows:Title>Council sites</ows:Title></ows:ServiceIdentification>
  <ows:OperationsMetadata>
    <ows:Operation name="GetFeature"/>
    <ows:Constraint name="ImplementsResultPaging"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></ows:Constraint>
  </ows:OperationsMetadata>
  <wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>ex:sites</wfs:Name><wfs:Title>Sites</wfs:Title><wfs:DefaultCRS>urn:ogc:def:crs:EPSG::4326</wfs:DefaultCRS>
    <ows:WGS84BoundingBox><ows:LowerCorner>-3.35 51.4</ows:LowerCorner><ows:UpperCorner>-3.0 51.6</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType></wfs:FeatureTypeList>
  <fes:Filter_Capabilities><fes:Conformance>
    <fes:Constraint name="ImplementsSorting"><ows:NoValues/><ows:DefaultValue>${sorting ? 'TRUE' : 'FALSE'}</ows:DefaultValue></fes:Constraint>
  </fes:Conformance></fes:Filter_Capabilities>
</wfs:WFS_Capabilities>`;

const member = (s: (typeof sites)[number], i: number, opaque: boolean) =>
  `<wfs:member><ex:sites gml:id="${opaque ? `f${(i * 7919) % 1000}` : `sites.${s.code}`}"><ex:code>${s.code}</ex:code><ex:name>Site ${i + 1}</ex:name>` +
  `<ex:geom><gml:Point gml:id="p.${s.code}" srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>${s.lat} ${s.lon}</gml:pos></gml:Point></ex:geom></ex:sites></wfs:member>`;

const collection = (matched: number, members: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:ex="http://example.org/ex" numberMatched="${matched}" numberReturned="${members.length}">${members.join('')}</wfs:FeatureCollection>`;

/** A WFS 2.0 that pages; unsorted and unstable, its first page starts two features in, so later pages repeat two and two are never sent. */
async function startSitesWfs(behaviour: Behaviour): Promise<FixtureServer> {
  return startFixtureServer((_req, res, url) => {
    const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toUpperCase(), v]));
    const xml = (body: string) => void res.writeHead(200, { 'content-type': 'text/xml; subtype=gml/3.2' }).end(body);
    if (q.REQUEST === 'GetCapabilities') return xml(capabilities(behaviour.sorting));
    if (q.RESULTTYPE === 'hits') return xml(collection(sites.length, []));
    const start = Number(q.STARTINDEX ?? 0);
    const count = Number(q.COUNT ?? sites.length);
    const order = sites.map((s, i) => ({ s, i }));
    if (q.SORTBY) {
      if (!behaviour.sorting || q.SORTBY !== 'code') return void res.writeHead(400).end('cannot sort');
      order.sort((a, b) => a.s.code.localeCompare(b.s.code));
    } else if (behaviour.unstable && start === 0) {
      order.push(...order.splice(0, 2));
    }
    xml(collection(sites.length, order.slice(start, start + count).map(({ s, i }) => member(s, i, !!behaviour.opaqueIds))));
  });
}

/** An OGC API – Features service paging by offset in its "next" links; unstable, its first page starts two features in. */
async function startSitesOgcApi(unstable: () => boolean): Promise<FixtureServer> {
  return startFixtureServer((_req, res, url) => {
    const json = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/ogc/collections') return json({ collections: [{ id: 'sites', title: 'Sites', links: [{ rel: 'items', href: `/ogc/collections/sites/items` }] }] });
    if (url.pathname !== '/ogc/collections/sites/items') return void res.writeHead(404).end();
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const order = [...sites];
    if (unstable() && offset === 0) order.push(...order.splice(0, 2));
    const features = order.slice(offset, offset + limit).map((s) => ({ type: 'Feature', id: s.code, properties: { code: s.code }, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } }));
    const links = offset + limit < sites.length ? [{ rel: 'next', type: 'application/geo+json', href: `/ogc/collections/sites/items?f=json&limit=${limit}&offset=${offset + limit}` }] : [];
    json({ type: 'FeatureCollection', features, links, numberReturned: features.length });
  });
}

describe('harvesting services whose unsorted pages overlap', () => {
  let t: TestApp;
  let token: string;
  const servers: FixtureServer[] = [];
  /** Starts a fixture service, closed after the file's tests. */
  const serve = async (started: Promise<FixtureServer>) => {
    const server = await started;
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { HAENAU_HARVEST_PAGE_SIZE: '10' });
    ({ token } = await t.createPublisher());
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await t?.close();
  });

  it('asks a server that sorts to sort by the property its ids are made from, and gets every feature once', async () => {
    const wfs = await serve(startSitesWfs({ sorting: true, unstable: true }));
    const slug = await t.createLayer(token);
    const { harvest } = await registerAndHarvest(t.app, slug, token, { url: `${wfs.origin}/wfs`, typeName: 'ex:sites' });
    expect(harvest, harvest.message).toMatchObject({ status: 'published', features: 25 });
    const rows = await currentFeatures(t, slug);
    expect(rows.map((r) => r.properties.code).sort()).toEqual(sites.map((s) => s.code));
    expect(new Set(rows.map((r) => r.feature_id)).size).toBe(25);
    const pages = wfs.requests.filter((r) => /STARTINDEX=\d+/.test(r) && /COUNT=10\b/.test(r));
    expect(pages).toHaveLength(3);
    for (const page of pages) expect(page).toMatch(/SORTBY=code(&|$)/);
    // The key was found on a sample of three, unsorted.
    expect(wfs.requests.some((r) => /COUNT=3\b/.test(r) && !/SORTBY/.test(r))).toBe(true);
  });

  it.each([
    ['does not sort', { sorting: false }, /does not offer sorting/],
    ['sorts, but no property holds its ids', { sorting: true, opaqueIds: true }, /none of its properties holds its feature ids/],
  ])('refuses overlapping pages from a server that %s, keeps the last good copy and says why', async (_case, b, reason) => {
    const stable = await serve(startSitesWfs({ ...b, unstable: false }));
    const slug = await t.createLayer(token);
    const first = await registerAndHarvest(t.app, slug, token, { url: `${stable.origin}/wfs`, typeName: 'ex:sites' });
    expect(first.harvest, first.harvest.message).toMatchObject({ status: 'published', features: 25 });
    expect(stable.requests.filter((r) => /SORTBY/.test(r))).toEqual([]);
    const version = (await t.deps.layers.get(slug))!.currentVersion!.version;

    const unstable = await serve(startSitesWfs({ ...b, unstable: true }));
    await request(t.app).put(`/api/layers/${slug}/source`).set(bearer(token)).send({ url: `${unstable.origin}/wfs`, typeName: 'ex:sites' }).expect(200);
    const failed = await harvestNow(t.app, slug, token);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/sent 2 features again on a later page/);
    expect(failed.message).toMatch(reason);
    expect(failed.message).toMatch(/last good version is still being served/);
    expect((await t.deps.layers.get(slug))!.currentVersion!.version).toBe(version);
    expect(await currentFeatures(t, slug)).toHaveLength(25);
    const health = await request(t.app).get(`/api/layers/${slug}/health`).set(bearer(token)).expect(200);
    expect(health.body.status).toBe('failing');
    expect(health.body.lastError).toMatch(/pages overlap/);
  });

  it('refuses an OGC API collection whose next-link pages overlap, after a good harvest of it', async () => {
    let unstable = false;
    const api = await serve(startSitesOgcApi(() => unstable));
    const slug = await t.createLayer(token);
    const first = await registerAndHarvest(t.app, slug, token, { kind: 'ogcapi', url: `${api.origin}/ogc/collections`, collectionId: 'sites' });
    expect(first.harvest, first.harvest.message).toMatchObject({ status: 'published', features: 25 });
    unstable = true;
    const failed = await harvestNow(t.app, slug, token);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/sent 2 features again on a later page/);
    expect(failed.message).toMatch(/OGC API – Features \(Part 1\) has no way/);
    expect(await currentFeatures(t, slug)).toHaveLength(25);

    // A first harvest that fails says so, rather than promising a last good copy there is not.
    const fresh = await t.createLayer(token);
    const never = await registerAndHarvest(t.app, fresh, token, { kind: 'ogcapi', url: `${api.origin}/ogc/collections`, collectionId: 'sites' });
    expect(never.harvest.status).toBe('failed');
    expect(never.harvest.message).toMatch(/pages overlap.*Nothing has been published yet\.$/);
  });
});
