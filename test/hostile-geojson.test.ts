import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentFeatures, putData, useTestApp } from './helpers/test-app';

const NASTY = '../shared/data/nasty-geojson';
const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

const ctx = useTestApp({ publisher: true });

/** The file as a publisher would upload it: bare Features and geometries wrapped, text otherwise untouched. */
function asUpload(path: string): string {
  const text = readFileSync(path, 'utf8');
  let type: unknown;
  try {
    type = JSON.parse(text)?.type;
  } catch {
    return text;
  }
  if (type === 'Feature') return `{"type":"FeatureCollection","features":[${text}]}`;
  if (typeof type === 'string' && GEOMETRY_TYPES.has(type)) {
    return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":${text}}]}`;
  }
  return text;
}

async function upload(path: string, query = '') {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  const res = await putData(ctx.t.app, slug, ctx.pub.token, asUpload(path), query);
  return { slug, res };
}

/** Expected outcome of every geojsonhint and check-geojson "bad" fixture: HTTP status and, for 422, the problem code. */
const BAD_FIXTURES: Record<string, [number, string?]> = {
  'geojsonhint/bad/bad-duplicate-properties.geojson': [422, 'no-geometry'], // JSON.parse keeps the last "type": a Feature with no geometry
  'geojsonhint/bad/bad-featurelist.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/bad-json.geojson': [400],
  'geojsonhint/bad/bad-object-type.geojson': [400],
  'geojsonhint/bad/bad-polygon-interiorring-rhr.geojson': [201, 'rewound'],
  'geojsonhint/bad/bad-polygonloop.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/bad-properties-as-array.geojson': [422, 'properties-not-object'],
  'geojsonhint/bad/badcoord.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/badcoordtype.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/badfeature.geojson': [422, 'not-a-feature'],
  'geojsonhint/bad/badfeatureid.geojson': [422, 'bad-id'],
  'geojsonhint/bad/bbox-4or6elements.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/bbox-contains-string.geojson': [201], // a foreign bbox is ignored: we compute our own
  'geojsonhint/bad/bbox-string.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/different-first-last.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/different-first-size.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/excessive_precision_truncated.geojson': [201],
  'geojsonhint/bad/expected_object.geojson': [422, 'properties-not-object'],
  'geojsonhint/bad/false.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/feature_changed_semantics.geojson': [201],
  'geojsonhint/bad/featurecollection-obj.geojson': [400],
  'geojsonhint/bad/featurecollection-type-case.geojson': [400],
  'geojsonhint/bad/featurecollection.geojson': [422, 'no-features'],
  'geojsonhint/bad/featurecollection_changed_semantics.geojson': [201],
  'geojsonhint/bad/geometry_changed_semantics.geojson': [201],
  'geojsonhint/bad/geometrycollection_nested.geojson': [201],
  'geojsonhint/bad/geometrycollection_single.geojson': [201],
  'geojsonhint/bad/multiple_problems.geojson': [422, 'bad-id'],
  'geojsonhint/bad/multipoint-multidimension.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/multipoint-nondimension.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/nofeaturetype.geojson': [422, 'not-a-feature'],
  'geojsonhint/bad/notype.geojson': [422, 'no-features'],
  'geojsonhint/bad/point-labeled-as-a-multipolygon.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/point-string.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/point-toofew.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/point-toomany.geojson': [201, 'heights-dropped'],
  'geojsonhint/bad/point.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/polygon_winding_order.geojson': [201, 'rewound'],
  'geojsonhint/bad/rootstring.geojson': [400],
  'geojsonhint/bad/short-line.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/short-linearring.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/short-multilinestring.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/stringcoord.geojson': [422, 'bad-geometry'],
  'geojsonhint/bad/unknowntype.geojson': [400],
  'check-geojson/bad/badfeature-no-properties.geojson': [201, 'no-properties'],
  'check-geojson/bad/multipoint-nocoordinates.geojson': [422, 'bad-geometry'],
  'check-geojson/bad/short-line.geojson': [422, 'bad-geometry'],
  'check-geojson/bad/short-linearring.geojson': [422, 'bad-geometry'],
  'check-geojson/bad/short-multilinestring.geojson': [422, 'bad-geometry'],
  'check-geojson/bad/stringcoord.geojson': [422, 'bad-geometry'],
  'check-geojson/bad/unknowntype.geojson': [400],
};

describe('the geojsonhint and check-geojson bad fixtures', () => {
  it('covers every bad fixture in the shared data', () => {
    const files = ['geojsonhint/bad', 'check-geojson/bad'].flatMap((d) =>
      readdirSync(`${NASTY}/${d}`).filter((f) => f.endsWith('.geojson')).map((f) => `${d}/${f}`),
    );
    expect(Object.keys(BAD_FIXTURES).sort()).toEqual(files.sort());
  });

  it.each(Object.entries(BAD_FIXTURES))('%s gets its defined outcome', async (file, [status, code]) => {
    const { res } = await upload(`${NASTY}/${file}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(status);
    if (status >= 400) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail.length).toBeGreaterThan(20);
    }
    if (status === 422) {
      expect(res.body.report.byCode[code!]).toBeGreaterThan(0);
      expect(res.body.detail).toMatch(/feature \d+|no features/);
    }
    if (status === 201 && code) expect(res.body.report.byCode[code]).toBeGreaterThan(0);
    if (status === 201 && !code) expect(res.body.report.totals).toEqual({ errors: 0, repaired: 0, warnings: 0 });
  });
});

const invalidPolygons = readdirSync(`${NASTY}/turf-boolean-valid/false`, { recursive: true, encoding: 'utf8' })
  .filter((f) => /Polygon\/.*\.geojson$/.test(f) && !/not-closing-ring|not-enough-coords/.test(f))
  .map((f) => `turf-boolean-valid/false/${f}`);

describe('geometries that are well-formed GeoJSON but invalid by OGC rules', () => {
  it.each(invalidPolygons)('%s is repaired with ST_MakeValid under invalid=repair', async (file) => {
    const { slug, res } = await upload(`${NASTY}/${file}`, '?invalid=repair');
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    expect(res.body.report.byCode['invalid-geometry']).toBeGreaterThan(0);
    const repaired = res.body.report.problems.find((p: { code: string }) => p.code === 'invalid-geometry');
    expect(repaired).toMatchObject({ severity: 'repaired', index: 0 });
    const [f] = await currentFeatures(ctx.t, slug);
    expect(f!.geometry!.type).toMatch(/Polygon/);
  });

  it.each(invalidPolygons)('%s is refused under invalid=reject, naming the reason', async (file) => {
    const { res } = await upload(`${NASTY}/${file}`, '?invalid=reject');
    expect(res.status).toBe(422);
    const [problem] = res.body.report.problems;
    expect(problem).toMatchObject({ severity: 'error', code: 'invalid-geometry', index: 0 });
    expect(problem.message).toMatch(/Self-intersection|Ring Self-intersection|Interior is disconnected|Too few points|Hole lies outside shell|Nested shells|Self/);
  });

  it.each(['Polygon/not-closing-ring.geojson', 'Polygon/not-enough-coords.geojson', 'MultiPolygon/not-enough-coords.geojson'])(
    'turf-boolean-valid/false/%s cannot be repaired and is refused',
    async (file) => {
      const { res } = await upload(`${NASTY}/turf-boolean-valid/false/${file}`);
      expect(res.status).toBe(422);
      expect(res.body.report.byCode['bad-geometry']).toBe(1);
    },
  );

  it('repairs the self-intersecting (kinked) polygons and keeps self-crossing lines, which are valid', async () => {
    const hourglass = await upload(`${NASTY}/self-intersecting/hourglass.geojson`);
    expect(hourglass.res.status).toBe(201);
    expect(hourglass.res.body.report.byCode['invalid-geometry']).toBeGreaterThan(0);
    const switzerland = await upload(`${NASTY}/self-intersecting/switzerlandKinked.geojson`);
    expect(switzerland.res.status).toBe(201);
    expect(switzerland.res.body.report.totals.repaired).toBeGreaterThan(0);
    const lines = await upload(`${NASTY}/self-intersecting/multi-linestring.geojson`);
    expect(lines.res.status).toBe(201);
    expect(lines.res.body.report.byCode['invalid-geometry']).toBeUndefined();
  });

  it('rewinds clockwise polygons to RFC 7946 order and says so', async () => {
    const { slug, res } = await upload(`${NASTY}/winding/rewind_polygon-clockwise.geojson`);
    expect(res.status).toBe(201);
    expect(res.body.report.byCode.rewound).toBe(1);
    const { rows } = (await ctx.t.deps.db.knex.raw(
      `SELECT ST_IsPolygonCCW(geom) AS ccw FROM layer_data."${(await ctx.t.deps.layers.get(slug))!.currentVersion!.tableName}"`,
    )) as { rows: Array<{ ccw: boolean }> };
    expect(rows).toEqual([{ ccw: true }]);
  });
});

describe('shapes that cross the antimeridian', () => {
  it.each(['line', 'split', 'over-180', 'multi-split', 'simple', 'one-hole'])('%s.json is split at ±180 like the antimeridian library does', async (name) => {
    const { slug, res } = await upload(`${NASTY}/antimeridian/input/${name}.json`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const expected = readFileSync(`${NASTY}/antimeridian/expected-split/${name}.json`, 'utf8');
    const table = (await ctx.t.deps.layers.get(slug))!.currentVersion!.tableName;
    const { rows } = (await ctx.t.deps.db.knex.raw(
      `SELECT ST_Area(geom) - ST_Area(e) AS area_diff, ST_Length(geom) - ST_Length(e) AS length_diff,
              ST_XMin(geom) AS xmin, ST_XMax(geom) AS xmax, ST_XMin(e) AS exmin, ST_XMax(e) AS exmax,
              ST_NumGeometries(geom) AS parts, ST_NumGeometries(e) AS eparts
         FROM layer_data."${table}", ST_GeomFromGeoJSON(?) AS e`,
      [expected],
    )) as { rows: Array<Record<string, number>> };
    const r = rows[0]!;
    expect(Math.abs(r.area_diff!)).toBeLessThan(1e-6);
    expect(Math.abs(r.length_diff!)).toBeLessThan(1e-6);
    expect([r.xmin, r.xmax, r.parts]).toEqual([r.exmin, r.exmax, r.eparts]);
  });

  it('refuses an antimeridian crossing under invalid=reject', async () => {
    const { res } = await upload(`${NASTY}/antimeridian/input/line.json`, '?invalid=reject');
    expect(res.status).toBe(422);
    expect(res.body.report.byCode['crosses-antimeridian']).toBe(1);
  });
});
