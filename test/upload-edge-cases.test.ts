import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { currentFeatures, featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const DATA = '../shared/data';
const ctx = useTestApp({ publisher: true });

async function publish(body: string | Buffer | object, query = '', contentType = 'application/geo+json') {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  const res = await putData(ctx.t.app, slug, ctx.pub.token, body, query, contentType);
  return { slug, res };
}

const line = (coords: number[][], id?: string) => ({ type: 'Feature', ...(id ? { id } : {}), properties: {}, geometry: { type: 'LineString', coordinates: coords } });

describe('text encodings', () => {
  const welshName = (features: Array<{ properties: Record<string, unknown> }>) => JSON.stringify(features.map((f) => f.properties));

  it('reads Welsh route names the same from UTF-8, UTF-8 with a BOM, and declared ISO-8859-14', async () => {
    const utf8 = await publish(readFileSync(`${DATA}/nasty-geojson/non-utf8/wales_routes_cy_sample_utf8.geojson`));
    const bom = await publish(readFileSync(`${DATA}/nasty-geojson/non-utf8/wales_routes_cy_sample_utf8_bom.geojson`));
    const latin8 = await publish(
      readFileSync(`${DATA}/nasty-geojson/non-utf8/wales_routes_cy_sample_iso8859-14.geojson`),
      '',
      'application/geo+json; charset=iso-8859-14',
    );
    for (const r of [utf8, bom, latin8]) expect(r.res.status, JSON.stringify(r.res.body).slice(0, 300)).toBe(201);
    const expected = welshName(await currentFeatures(ctx.t, utf8.slug));
    expect(expected).toMatch(/[ŵŷâ]/);
    expect(welshName(await currentFeatures(ctx.t, bom.slug))).toBe(expected);
    expect(welshName(await currentFeatures(ctx.t, latin8.slug))).toBe(expected);
  });

  it('refuses undeclared non-UTF-8 text, naming the feature and the fix', async () => {
    const { res } = await publish(readFileSync(`${DATA}/nasty-geojson/non-utf8/wales_routes_cy_sample_iso8859-14.geojson`));
    expect(res.status).toBe(422);
    expect(res.body.report.byCode['not-utf8']).toBeGreaterThan(0);
    expect(res.body.detail).toMatch(/not valid utf-8.*declare its charset/i);
  });
});

describe('real council and open data files', () => {
  it('loads the London Cycle Network with its 90 sparse, dotted property names', async () => {
    const { slug, res } = await publish(readFileSync(`${DATA}/uk-geodata/london_cycle_network_cycleways_osm.geojson`));
    expect(res.status).toBe(201);
    expect(res.body.featureCount).toBe(808);
    const detail = await request(ctx.t.app).get(`/api/layers/${slug}`).expect(200);
    expect(detail.body.properties.length).toBeGreaterThanOrEqual(80);
    expect(detail.body.properties.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining([expect.stringContaining('.')]));
  });

  it('loads Cardiff’s electoral wards as polygons inside Cardiff', async () => {
    const { res } = await publish(readFileSync(`${DATA}/uk-geodata/cardiff_electoral_wards_W06000015.geojson`));
    expect(res.status).toBe(201);
    expect(res.body.geometryType).toMatch(/Polygon/);
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    expect(minLon).toBeGreaterThan(-3.4);
    expect(maxLon).toBeLessThan(-3.0);
    expect(minLat).toBeGreaterThan(51.3);
    expect(maxLat).toBeLessThan(51.6);
  });
});

describe('defined outcomes for awkward features', () => {
  it('stores null geometries as features without a location', async () => {
    const { slug, res } = await publish(featureCollection([{ type: 'Feature', id: 'n', properties: { a: 1 }, geometry: null }, pointFeature('p', 1, 1)]));
    expect(res.status).toBe(201);
    expect(res.body.featureCount).toBe(2);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.geometry)).toEqual([null, { type: 'Point', coordinates: [1, 1] }]);
  });

  it('stores empty geometries as no location, with a warning', async () => {
    const { res } = await publish(featureCollection([line([], 'empty'), pointFeature('p', 1, 1)]));
    expect(res.status).toBe(201);
    expect(res.body.report.problems[0]).toMatchObject({ id: 'empty', severity: 'warning', code: 'empty-geometry' });
  });

  it('refuses duplicate ids, listing where each id appears', async () => {
    const { res } = await publish(featureCollection([pointFeature('dup', 1, 1), pointFeature('x', 1, 1), pointFeature('dup', 2, 2)]));
    expect(res.status).toBe(422);
    expect(res.body.report.problems[0]).toMatchObject({ code: 'duplicate-id', id: 'dup', index: 2 });
    expect(res.body.report.problems[0].message).toMatch(/features 1, 3/);
  });

  it('treats a numeric id and the same id as a string as duplicates', async () => {
    const { res } = await publish(featureCollection([pointFeature(7, 1, 1), pointFeature('7', 2, 2)]));
    expect(res.status).toBe(422);
    expect(res.body.report.byCode['duplicate-id']).toBe(1);
  });

  it('refuses properties that are not an object', async () => {
    const { res } = await publish(featureCollection([{ type: 'Feature', properties: 'school', geometry: null }]));
    expect(res.status).toBe(422);
    expect(res.body.report.problems[0]).toMatchObject({ code: 'properties-not-object', index: 0 });
  });

  it('refuses coordinates outside longitude/latitude range, showing the position', async () => {
    const { res } = await publish(featureCollection([pointFeature('far', 10, 95)]));
    expect(res.status).toBe(422);
    expect(res.body.report.problems[0]).toMatchObject({ code: 'out-of-range', id: 'far' });
    expect(res.body.report.problems[0].message).toContain('[10,95]');
  });

  it('drops heights from 3D features with a warning', async () => {
    const { slug, res } = await publish(readFileSync(`${DATA}/nasty-geojson/geojsonhint/good/good-point-3d.geojson`, 'utf8').replace(/^/, '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":').concat('}]}'));
    expect(res.status).toBe(201);
    expect(res.body.report.byCode['heights-dropped']).toBe(1);
    const [f] = await currentFeatures(ctx.t, slug);
    expect((f!.geometry!.coordinates as number[]).length).toBe(2);
  });

  it('repairs a geometry mixing 2D and 3D positions under repair, and refuses it under reject', async () => {
    const mixed = featureCollection([line([[0, 0, 5], [1, 1]], 'mixed')]);
    const repaired = await publish(mixed);
    expect(repaired.res.status).toBe(201);
    expect(repaired.res.body.report.problems[0]).toMatchObject({ severity: 'repaired', code: 'mixed-dimensions' });
    const rejected = await publish(mixed, '?invalid=reject');
    expect(rejected.res.status).toBe(422);
    expect(rejected.res.body.report.problems[0]).toMatchObject({ severity: 'error', code: 'mixed-dimensions' });
  });

  it('finds the one kind of invalid line (a single distinct point, heights aside) among valid ones, and nothing in valid lines', async () => {
    const valid = [line([[0, 0], [1, 1]], 'a'), line([[0, 0], [1, 1], [0, 1], [1, 0]], 'crossing'), line([[0, 0], [0, 0], [1, 1]], 'repeat')];
    const good = await publish(featureCollection(valid), '?invalid=reject');
    expect(good.res.status).toBe(201);
    expect(good.res.body.report.byCode['invalid-geometry']).toBeUndefined();
    for (const collapsed of [line([[2, 2], [2, 2]], 'point-like'), line([[2, 2, 1], [2, 2, 9]], 'heights-only')]) {
      const { res } = await publish(featureCollection([...valid, collapsed]), '?invalid=reject');
      expect(res.status).toBe(422);
      expect(res.body.report.problems.find((p: { code: string }) => p.code === 'invalid-geometry')).toMatchObject({ id: collapsed.id, index: 3 });
    }
  });

  it('removes NUL characters, which PostgreSQL cannot store, and says so', async () => {
    const { slug, res } = await publish(featureCollection([pointFeature('nul', 1, 1, { name: 'a\u0000b' })]));
    expect(res.status).toBe(201);
    expect(res.body.report.byCode['nul-character']).toBe(1);
    expect((await currentFeatures(ctx.t, slug))[0]!.properties).toEqual({ name: 'ab' });
  });

  it('lists the first problems and counts them all when many features are bad', async () => {
    const features = Array.from({ length: 250 }, (_, i) => pointFeature(i, 500, 0));
    const { res } = await publish(featureCollection(features));
    expect(res.status).toBe(422);
    expect(res.body.report.totals.errors).toBe(250);
    expect(res.body.report.problems).toHaveLength(100);
    expect(res.body.report.truncated).toBe(true);
    expect(res.body.detail).toMatch(/^250 problems stop this upload/);
  });
});
