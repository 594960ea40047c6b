import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ seed: true });
const items = (layer: string, query = '') => request(ctx.t.app).get(`/ogc/collections/${layer}/items${query}`);


describe('the OGC API – Features service documents', () => {
  it('links the landing page to the API definition, conformance and collections', async () => {
    const res = await request(ctx.t.app).get('/ogc').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const rels = res.body.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'alternate', 'service-desc', 'conformance', 'data']));
  });

  it('declares core, GeoJSON, HTML, OpenAPI 3.0 and CRS conformance', async () => {
    const res = await request(ctx.t.app).get('/ogc/conformance').expect(200);
    expect(res.body.conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
    ]));
  });

  it('describes the real parameters in OpenAPI 3.0, including each collection’s queryables', async () => {
    const res = await request(ctx.t.app).get('/ogc/api').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/vnd\.oai\.openapi\+json/);
    const doc = JSON.parse(res.text);
    expect(doc.openapi).toBe('3.0.3');
    const params = doc.paths['/collections/sample-schools/items'].get.parameters;
    expect(params).toEqual(expect.arrayContaining([{ $ref: '#/components/parameters/bbox' }, expect.objectContaining({ name: 'welsh_medium', schema: { type: 'boolean' } })]));
    expect(doc.components.parameters.limit.schema).toMatchObject({ default: 10, maximum: 10_000 });
  });

  it('lists every published layer as a collection with its extent, CRS list and storage CRS', async () => {
    const res = await request(ctx.t.app).get('/ogc/collections').expect(200);
    const ids = res.body.collections.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['sample-schools', 'sample-active-travel-routes', 'sample-wards']));
    const one = await request(ctx.t.app).get('/ogc/collections/sample-wards').expect(200);
    expect(one.body.crs).toEqual([
      'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
      'http://www.opengis.net/def/crs/EPSG/0/4326',
      'http://www.opengis.net/def/crs/EPSG/0/27700',
    ]);
    expect(one.body.storageCrs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    expect(one.body.extent.spatial.bbox[0]).toHaveLength(4);
  });

  it('gives queryables as JSON Schema', async () => {
    const res = await request(ctx.t.app).get('/ogc/collections/sample-schools/queryables').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/schema\+json/);
    expect(res.body.properties.pupils).toMatchObject({ type: 'integer' });
    expect(res.body.properties.opened).toMatchObject({ type: 'string', format: 'date', 'x-ogc-role': 'primary-instant' });
  });

  it('answers 404 as a problem for a collection that does not exist', async () => {
    const res = await request(ctx.t.app).get('/ogc/collections/nope/items').expect(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('reading features', () => {
  it('returns 10 features by default with numberMatched, numberReturned and a next link', async () => {
    const res = await items('sample-schools').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    expect(res.body).toMatchObject({ type: 'FeatureCollection', numberMatched: 300, numberReturned: 10 });
    expect(res.body.features[0]).toMatchObject({ type: 'Feature', id: 'SCH0001', geometry: { type: 'Point' } });
  });

  it('pages through every feature exactly once by following next links', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/ogc/collections/sample-schools/items?limit=70';
    while (url) {
      const res: request.Response = await request(ctx.t.app).get(url.replace(/^https?:\/\/[^/]+/, '')).expect(200);
      seen.push(...res.body.features.map((f: { id: string }) => f.id));
      url = res.body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it('pages by offset with next and prev links when an offset is given', async () => {
    const res = await items('sample-schools', '?limit=5&offset=10').expect(200);
    const rels = Object.fromEntries(res.body.links.map((l: { rel: string; href: string }) => [l.rel, l.href]));
    expect(rels.next).toMatch(/offset=15/);
    expect(rels.prev).toMatch(/offset=5/);
    expect(res.body.features.map((f: { id: string }) => f.id)).toEqual(['SCH0011', 'SCH0012', 'SCH0013', 'SCH0014', 'SCH0015']);
  });

  it('selects by bbox, exactly as PostGIS counts it', async () => {
    const bbox = [-3.4, 51.9, -3.2, 52.05];
    const res = await items('sample-schools', `?bbox=${bbox.join(',')}&limit=1000`).expect(200);
    const { rows } = (await ctx.t.deps.db.knex.raw(
      `SELECT count(*)::int AS n FROM layer_data."${(await ctx.t.deps.layers.get('sample-schools'))!.currentVersion!.tableName}" WHERE geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)`,
      bbox,
    )) as { rows: Array<{ n: number }> };
    expect(res.body.numberReturned).toBe(rows[0]!.n);
    expect(res.body.numberMatched).toBe(rows[0]!.n);
    for (const f of res.body.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon >= bbox[0]! && lon <= bbox[2]! && lat >= bbox[1]! && lat <= bbox[3]!).toBe(true);
    }
  });

  it('keeps a point on the bbox edge and leaves out a line that only comes near it', async () => {
    const pub = await ctx.t.createPublisher();
    const points = await ctx.t.createLayer(pub.token);
    await putData(ctx.t.app, points, pub.token, featureCollection([pointFeature('edge', 1, 1), pointFeature('corner', 2, 2), pointFeature('out', 2.001, 1.5)])).expect(201);
    const inBox = await items(points, '?bbox=0,0,2,2').expect(200);
    expect(inBox.body.features.map((f: { id: string }) => f.id).sort()).toEqual(['corner', 'edge']);
    // The line's envelope overlaps the box's corner; the line itself passes outside it.
    const lines = await ctx.t.createLayer(pub.token);
    const diagonal = { type: 'Feature', id: 'near', properties: {}, geometry: { type: 'LineString', coordinates: [[1.9, 3], [3, 1.9]] } };
    const crossing = { type: 'Feature', id: 'across', properties: {}, geometry: { type: 'LineString', coordinates: [[1, 3], [1, -1]] } };
    const inside = { type: 'Feature', id: 'inside', properties: {}, geometry: { type: 'LineString', coordinates: [[0.5, 0.5], [1.5, 1.5]] } };
    await putData(ctx.t.app, lines, pub.token, featureCollection([diagonal, crossing, inside])).expect(201);
    const hit = await items(lines, '?bbox=0,0,2,2').expect(200);
    expect(hit.body.features.map((f: { id: string }) => f.id)).toEqual(['across', 'inside']);
  });

  it('sends names in Welsh and beyond (ŵ, ŷ, emoji) byte-exact, with a Content-Length that matches, through OGC API and WFS', async () => {
    const pub = await ctx.t.createPublisher();
    const slug = await ctx.t.createLayer(pub.token);
    const names = ['Ysgol Gymraeg Bro Ŵy', 'Llwybr Tŷ’r Ysgol 🚲', 'Caffi ☕ “Côr”'];
    const line = (id: string, name: string, x: number) => ({ type: 'Feature', id, properties: { name }, geometry: { type: 'LineString', coordinates: [[x, 1], [x + 0.5, 1.5]] } });
    await putData(ctx.t.app, slug, pub.token, featureCollection(names.map((name, i) => line(`r${i}`, name, i)))).expect(201);
    await ctx.t.deps.tilePreparer.idle(); // pages then come from the stored text, not built per request
    const check = (res: request.Response) => {
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      return res.text;
    };
    for (const query of ['?limit=2', '?limit=5&crs=http://www.opengis.net/def/crs/EPSG/0/27700']) {
      const page = JSON.parse(check(await items(slug, query).expect(200)));
      expect(page.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(names.slice(0, page.numberReturned));
    }
    const wfs = (format: string) => request(ctx.t.app).get(`/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=${slug}${format}`).expect(200);
    const json = JSON.parse(check(await wfs('&OUTPUTFORMAT=application/json')));
    expect(json.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(names);
    const gml = check(await wfs(''));
    for (const name of names) expect(gml).toContain(`>${name}<`);
    expect(gml.endsWith('\n</wfs:FeatureCollection>')).toBe(true);
  });

  it('finds polygons inside, around and across the bbox, and not one whose envelope alone overlaps it', async () => {
    const pub = await ctx.t.createPublisher();
    const slug = await ctx.t.createLayer(pub.token);
    const polygon = (id: string, ring: number[][]) => ({ type: 'Feature', id, properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } });
    await putData(ctx.t.app, slug, pub.token, featureCollection([
      polygon('inside', [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 0.5]]),
      polygon('around', [[-1, -1], [3, -1], [3, 3], [-1, 3], [-1, -1]]),
      polygon('across', [[1, 1], [3, 1], [3, 3], [1, 1]]),
      // Its envelope (1.9..3) overlaps the box's corner; the triangle itself stays outside.
      polygon('near', [[1.9, 3], [3, 1.9], [3, 3], [1.9, 3]]),
    ])).expect(201);
    const hit = await items(slug, '?bbox=0,0,2,2').expect(200);
    expect(hit.body.features.map((f: { id: string }) => f.id)).toEqual(['inside', 'around', 'across']);
  });

  it('reads bbox-crs EPSG:4326 as lat,lon and EPSG:27700 as easting,northing', async () => {
    const lonLat = await items('sample-schools', '?bbox=-3.4,51.9,-3.2,52.05&limit=1000').expect(200);
    const latLon = await items('sample-schools', '?bbox=51.9,-3.4,52.05,-3.2&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326&limit=1000').expect(200);
    expect(latLon.body.numberReturned).toBe(lonLat.body.numberReturned);
    const bng = await items('sample-schools', '?bbox=289000,214000,341000,256000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/27700&limit=1000').expect(200);
    expect(bng.body.numberReturned).toBe(300);
  });

  it('writes EPSG:27700 as easting,northing and EPSG:4326 as lat,lon, saying so in Content-Crs', async () => {
    const crs84 = await items('sample-schools', '?limit=1').expect(200);
    const [lon, lat] = crs84.body.features[0].geometry.coordinates;
    const epsg4326 = await items('sample-schools', '?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/4326').expect(200);
    expect(epsg4326.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/4326>');
    expect(epsg4326.body.features[0].geometry.coordinates).toEqual([lat, lon]);
    const bng = await items('sample-schools', '?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/27700').expect(200);
    expect(bng.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/27700>');
    const [e, n] = bng.body.features[0].geometry.coordinates;
    expect(e).toBeGreaterThan(290_000);
    expect(e).toBeLessThan(340_000);
    expect(n).toBeGreaterThan(215_000);
    expect(n).toBeLessThan(255_000);
    expect(bng.body.features[0].geometry.crs).toBeUndefined();
  });

  it('filters by equality on typed queryable properties', async () => {
    const welsh = await items('sample-schools', '?welsh_medium=true&limit=1000').expect(200);
    expect(welsh.body.numberReturned).toBeGreaterThan(0);
    expect(welsh.body.features.every((f: { properties: { welsh_medium: boolean } }) => f.properties.welsh_medium === true)).toBe(true);
    const english = await items('sample-schools', '?welsh_medium=false&limit=1000').expect(200);
    expect(welsh.body.numberReturned + english.body.numberReturned).toBe(300);
    const secondary = await items('sample-schools', '?type=secondary&limit=1000').expect(200);
    expect(secondary.body.features.every((f: { properties: { type: string } }) => f.properties.type === 'secondary')).toBe(true);
    const first = (await items('sample-schools', '?limit=1').expect(200)).body.features[0];
    const byPupils = await items('sample-schools', `?pupils=${first.properties.pupils}&limit=1000`).expect(200);
    expect(byPupils.body.features.map((f: { id: string }) => f.id)).toContain(first.id);
  });

  it('filters on the temporal property with an instant or an interval', async () => {
    const all = (await items('sample-schools', '?limit=1000').expect(200)).body.features as Array<{ properties: { opened: string } }>;
    const since2000 = await items('sample-schools', '?datetime=2000-01-01/..&limit=1000').expect(200);
    expect(since2000.body.numberReturned).toBe(all.filter((f) => f.properties.opened >= '2000-01-01').length);
    const instant = all[0]!.properties.opened;
    const exact = await items('sample-schools', `?datetime=${instant}&limit=1000`).expect(200);
    expect(exact.body.features.every((f: { properties: { opened: string } }) => f.properties.opened === instant)).toBe(true);
  });

  it('returns only the properties asked for', async () => {
    const res = await items('sample-schools', '?limit=1&properties=name,pupils').expect(200);
    expect(Object.keys(res.body.features[0].properties).sort()).toEqual(['name', 'pupils']);
  });

  it('reduces a limit above the maximum to the maximum', async () => {
    const res = await items('sample-schools', '?limit=50000').expect(200);
    expect(res.body.numberReturned).toBe(300);
  });

  it.each([
    ['?bbox=1,2,3', /bbox must be 4/],
    ['?limit=0', /limit must be a whole number/],
    ['?limit=ten', /limit must be a whole number/],
    ['?crs=EPSG:3857', /is not offered/],
    ['?pupils=many', /pupils is a number/],
    ['?welsh_medium=yes', /true or false/],
    ['?colour=red', /Unknown parameter "colour"/],
    ['?datetime=yesterday', /RFC 3339/],
    ['?bbox=0,60,1,50', /lower corner/],
  ])('answers %s with a 400 problem naming what is wrong', async (query, message) => {
    const res = await items('sample-schools', query).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(message);
  });

  it('reads one feature by id, in any offered CRS, and 404s an unknown id', async () => {
    const res = await request(ctx.t.app).get('/ogc/collections/sample-schools/items/SCH0002').expect(200);
    expect(res.body).toMatchObject({ type: 'Feature', id: 'SCH0002' });
    expect(res.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'alternate', 'collection']);
    const routes = await request(ctx.t.app).get('/ogc/collections/sample-active-travel-routes/items/7?crs=http://www.opengis.net/def/crs/EPSG/0/27700').expect(200);
    expect(routes.body.geometry.coordinates[0][0]).toBeGreaterThan(290_000);
    await request(ctx.t.app).get('/ogc/collections/sample-schools/items/NOPE').expect(404);
  });
});

describe('HTML for people', () => {
  it('renders pages as HTML for f=html and for a browser’s Accept header', async () => {
    const html = await request(ctx.t.app).get('/ogc/collections').set('Accept', 'text/html,application/xhtml+xml').expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).toContain('Schools (sample data)');
    const items = await request(ctx.t.app).get('/ogc/collections/sample-schools/items?f=html&limit=3').expect(200);
    expect(items.text).toMatch(/<table>/);
  });

  it('shows hostile property values as text, never as markup', async () => {
    const pub = await ctx.t.createPublisher();
    const slug = await ctx.t.createLayer(pub.token);
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await putData(ctx.t.app, slug, pub.token, featureCollection([pointFeature('x<y>', 1, 1, { [evil]: evil })])).expect(201);
    for (const url of [`/ogc/collections/${slug}/items?f=html`, `/ogc/collections/${slug}/items/${encodeURIComponent('x<y>')}?f=html`]) {
      const res = await request(ctx.t.app).get(url).expect(200);
      expect(res.text).not.toContain('<script>alert');
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    }
  });
});
