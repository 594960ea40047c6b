import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSampleLayers } from '../server/src/seed-samples';
import { createTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;
type School = { id: string; properties: { name: string; type: string; pupils: number; welsh_medium: boolean; opened: string; town: string }; geometry: { coordinates: [number, number] } };
let schools: School[];

const filtered = (filter: string, extra = '') =>
  request(t.app).get(`/ogc/collections/sample-schools/items?limit=1000&filter=${encodeURIComponent(filter)}${extra}`);
const ids = (res: request.Response) => (res.body.features as School[]).map((f) => f.id).sort();
const idsWhere = (pred: (s: School) => boolean) => schools.filter(pred).map((s) => s.id).sort();

beforeAll(async () => {
  t = await createTestApp();
  await seedSampleLayers(t.deps);
  schools = (await request(t.app).get('/ogc/collections/sample-schools/items?limit=1000').expect(200)).body.features;
});
afterAll(() => t.close());

describe('CQL2 text filters', () => {
  it.each<[string, (s: School) => boolean]>([
    ["type = 'secondary'", (s) => s.properties.type === 'secondary'],
    ['pupils > 400', (s) => s.properties.pupils > 400],
    ['pupils <= 100 AND welsh_medium = true', (s) => s.properties.pupils <= 100 && s.properties.welsh_medium],
    ["type = 'special' OR pupils >= 1400", (s) => s.properties.type === 'special' || s.properties.pupils >= 1400],
    ["NOT (type = 'primary')", (s) => s.properties.type !== 'primary'],
    ["name LIKE 'Pen%'", (s) => s.properties.name.startsWith('Pen')],
    ["type IN ('special', 'all-through')", (s) => ['special', 'all-through'].includes(s.properties.type)],
    ['pupils BETWEEN 100 AND 200', (s) => s.properties.pupils >= 100 && s.properties.pupils <= 200],
    ["opened >= DATE('2010-01-01')", (s) => s.properties.opened >= '2010-01-01'],
    ['name IS NULL', () => false],
    ['name IS NOT NULL', () => true],
  ])('%s selects exactly the matching schools', async (filter, pred) => {
    const res = await filtered(filter).expect(200);
    expect(ids(res)).toEqual(idsWhere(pred));
  });

  it('filters by S_INTERSECTS, S_WITHIN and S_CONTAINS with WKT', async () => {
    const box = 'POLYGON((-3.4 51.9, -3.2 51.9, -3.2 52.05, -3.4 52.05, -3.4 51.9))';
    const inBox = (s: School) => {
      const [x, y] = s.geometry.coordinates;
      return x >= -3.4 && x <= -3.2 && y >= 51.9 && y <= 52.05;
    };
    expect(ids(await filtered(`S_INTERSECTS(geometry, ${box})`).expect(200))).toEqual(idsWhere(inBox));
    expect(ids(await filtered(`S_WITHIN(geometry, ${box})`).expect(200))).toEqual(idsWhere(inBox));
    const first = schools[0]!;
    const point = `POINT(${first.geometry.coordinates.join(' ')})`;
    const wards = await request(t.app).get(`/ogc/collections/sample-wards/items?filter=${encodeURIComponent(`S_CONTAINS(geometry, ${point})`)}`).expect(200);
    expect(wards.body.numberReturned).toBe(1);
  });

  it('reads filter geometries in filter-crs EPSG:27700', async () => {
    const res = await filtered('S_INTERSECTS(geometry, BBOX(289000, 214000, 341000, 256000))', '&filter-crs=http://www.opengis.net/def/crs/EPSG/0/27700').expect(200);
    expect(res.body.numberReturned).toBe(300);
    const none = await filtered('S_INTERSECTS(geometry, BBOX(0, 0, 1000, 1000))', '&filter-crs=http://www.opengis.net/def/crs/EPSG/0/27700').expect(200);
    expect(none.body.numberReturned).toBe(0);
  });
});

describe('CQL2 JSON filters', () => {
  it('selects the same schools as the equivalent text filter', async () => {
    const json = JSON.stringify({
      op: 'and',
      args: [
        { op: '=', args: [{ property: 'welsh_medium' }, true] },
        { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[-3.7, 51.7], [-2.7, 51.7], [-2.7, 52.3], [-3.7, 52.3], [-3.7, 51.7]]] }] },
      ],
    });
    const res = await filtered(json, '&filter-lang=cql2-json').expect(200);
    expect(ids(res)).toEqual(idsWhere((s) => s.properties.welsh_medium));
  });
});

describe('filters that must be refused', () => {
  it.each([
    ["name = 'open", /not closed.*character 8/],
    ['colour = 1', /"colour" is not a queryable property/],
    ["pupils > 'many'", /cannot be compared with a number property/],
    ['S_INTERSECTS(geometry, POLYGON((0 0, 1 1)', /expected "\)"|expected "," in WKT|WKT/],
  ])('%s is a 400 that says what and where', async (filter, message) => {
    const res = await filtered(filter).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.detail).toMatch(message);
  });

  it('refuses an unknown filter-lang', async () => {
    const res = await filtered('a = 1', '&filter-lang=ecql').expect(400);
    expect(res.body.detail).toMatch(/filter-lang must be cql2-text or cql2-json/);
  });

  it.each([
    "name = 'x'' ; DROP TABLE layers; --'",
    `"name' ; DROP TABLE layers; --" = 'x'`,
    "name = 'x') OR 1=1 --'",
    "name LIKE '%'' OR ''1''=''1'",
  ])('keeps the injection attempt %s as a value, never as SQL', async (filter) => {
    const res = await filtered(filter);
    expect([200, 400]).toContain(res.status);
    if (res.status === 200) expect(res.body.numberReturned).toBe(0);
    const still = await request(t.app).get('/api/layers/sample-schools').expect(200);
    expect(still.body.featureCount).toBe(300);
  });
});
