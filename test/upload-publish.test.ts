import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, createTestApp, currentFeatures, featureCollection, pointFeature, putData, useTestApp, versionTables } from './helpers/test-app';

const SHARED = '../shared/data';
const ctx = useTestApp({ publisher: true });

describe('publishing a GeoJSON FeatureCollection', () => {
  it('loads every feature with its id, properties and geometry, and reports the layer’s shape', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(
      ctx.t.app,
      slug,
      ctx.pub.token,
      featureCollection([
        pointFeature('s1', -3.18, 51.48, { name: 'Ysgol Gymraeg Bro Edern', pupils: 1100, welsh: true }),
        pointFeature('s2', -3.2, 51.5, { name: 'Cathays High', pupils: 1000.5, opened: '1966-09-01' }),
        pointFeature('s3', -3.25, 51.52, { name: null, pupils: 20 }),
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 1, featureCount: 3, geometryType: 'Point', report: { sourceCrs: 'EPSG:4326', crsSource: 'default', featuresRead: 3, featuresLoaded: 3, totals: { errors: 0, repaired: 0, warnings: 0 } } });
    expect(res.body.bbox).toEqual([-3.25, 51.48, -3.18, 51.52]);
    const features = await currentFeatures(ctx.t, slug);
    expect(features.map((f) => f.feature_id)).toEqual(['s1', 's2', 's3']);
    expect(features[0]!.properties).toEqual({ name: 'Ysgol Gymraeg Bro Edern', pupils: 1100, welsh: true });
    expect(features[1]!.geometry).toEqual({ type: 'Point', coordinates: [-3.2, 51.5] });
    const detail = await request(ctx.t.app).get(`/api/layers/${slug}`).expect(200);
    expect(detail.body.properties).toEqual([
      { name: 'name', type: 'string' },
      { name: 'pupils', type: 'number' },
      { name: 'welsh', type: 'boolean' },
      { name: 'opened', type: 'date' },
    ]);
  });

  it('accepts newline-delimited GeoJSON and names the line of a bad feature', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const lines = [pointFeature(1, -3, 52), pointFeature(2, -3.1, 52.1)].map((f) => JSON.stringify(f)).join('\n') + '\n';
    const ok = await putData(ctx.t.app, slug, ctx.pub.token, lines, '', 'application/x-ndjson');
    expect(ok.status).toBe(201);
    expect(ok.body.featureCount).toBe(2);
    const bad = await putData(ctx.t.app, slug, ctx.pub.token, `${lines}{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1]}, "properties": {}}\n`, '', 'application/x-ndjson');
    expect(bad.status).toBe(422);
    expect(bad.body.report.problems[0]).toMatchObject({ index: 2, line: 3, severity: 'error', code: 'bad-geometry' });
    expect(bad.body.detail).toMatch(/feature 3 \(line 3\)/);
  });

  it('refuses a document that is not JSON with the line where it breaks, and keeps the version served', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('a', 1, 1)])).expect(201);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, '{"type": "FeatureCollection",\n "features": [\n {"type": "Feature"} {"x": 1}]}');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/line 3/);
    expect(res.body.line).toBe(3);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['a']);
  });

  it('refuses a body in a format it cannot read with 415', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, 'a,b\n1,2', '', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.detail).toMatch(/application\/geo\+json/);
  });

  it('refuses an empty FeatureCollection rather than publishing a layer with nothing in it', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([]));
    expect(res.status).toBe(422);
    expect(res.body.report.byCode).toEqual({ 'no-features': 1 });
  });
});

describe('versions', () => {
  it('publishes each upload as a new version, flips to it, and rolls back to any earlier one', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('v1', 1, 1)])).expect(201);
    const second = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('v2a', 2, 2), pointFeature('v2b', 3, 3)])).expect(201);
    expect(second.body.version).toBe(2);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['v2a', 'v2b']);

    const versions = await request(ctx.t.app).get(`/api/layers/${slug}/versions`).expect(200);
    expect(versions.body.versions.map((v: { version: number; current: boolean; featureCount: number }) => [v.version, v.current, v.featureCount])).toEqual([
      [2, true, 2],
      [1, false, 1],
    ]);
    expect(versions.body.versions[0].createdBy).toBe(`${ctx.pub.organisation}/token:tests`);

    const back = await request(ctx.t.app).post(`/api/layers/${slug}/rollback`).set(bearer(ctx.pub.token)).send({ version: 1 }).expect(200);
    expect(back.body.currentVersion.version).toBe(1);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['v1']);
    const missing = await request(ctx.t.app).post(`/api/layers/${slug}/rollback`).set(bearer(ctx.pub.token)).send({ version: 9 });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toMatch(/no version 9/);
  });

  it('deletes a layer with every version’s tables', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('a', 1, 1)])).expect(201);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('b', 1, 1)])).expect(201);
    const layer = await ctx.t.deps.layers.get(slug);
    const tables = (await ctx.t.deps.layers.versions(layer!.id)).map((v) => v.tableName);
    expect(tables).toHaveLength(2);
    await ctx.t.deps.tilePreparer.idle();
    expect(await versionTables(ctx.t)).toEqual(expect.arrayContaining(tables.flatMap((t) => [t, `${t}_tiles`])));
    await request(ctx.t.app).delete(`/api/layers/${slug}`).set(bearer(ctx.pub.token)).expect(204);
    await request(ctx.t.app).get(`/api/layers/${slug}`).expect(404);
    const remaining = await versionTables(ctx.t);
    for (const table of tables) {
      expect(remaining).not.toContain(table);
      expect(remaining).not.toContain(`${table}_tiles`);
    }
  });
});

describe('source coordinate reference systems', () => {
  const bng = featureCollection([pointFeature('cardiff-castle', 318_150, 176_450)]);

  it('reads British National Grid when the crs parameter says EPSG:27700 and stores WGS84', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, bng, '?crs=EPSG:27700').expect(201);
    expect(res.body.report).toMatchObject({ sourceCrs: 'EPSG:27700', crsSource: 'parameter' });
    const [f] = await currentFeatures(ctx.t, slug);
    const [lon, lat] = f!.geometry!.coordinates as [number, number];
    expect(lon).toBeCloseTo(-3.181, 2);
    expect(lat).toBeCloseTo(51.482, 2);
  });

  it('detects British National Grid from coordinates when no CRS is given, and warns', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, bng).expect(201);
    expect(res.body.report).toMatchObject({ sourceCrs: 'EPSG:27700', crsSource: 'coordinates', byCode: { 'crs-detected': 1 } });
  });

  it('takes EPSG:27700 from a real council file’s legacy crs member', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const file = readFileSync(`${SHARED}/uk-geodata/bristol_council_boundary_bng_epsg27700.geojson`);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, file).expect(201);
    expect(res.body.report).toMatchObject({ sourceCrs: 'EPSG:27700', crsSource: 'crs member' });
    const [minLon, minLat, maxLon, maxLat] = res.body.bbox;
    // Bristol lies around 2.5°W 51.45°N.
    expect(minLon).toBeGreaterThan(-3.2); // Bristol reaches out to Flat Holm and Steep Holm in the Severn
    expect(maxLon).toBeLessThan(-2.4);
    expect(minLat).toBeGreaterThan(51.3);
    expect(maxLat).toBeLessThan(51.6);
  });

  it('refuses a crs member after the features that contradicts how they were read', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const text = `{"type":"FeatureCollection","features":[${JSON.stringify(pointFeature('x', -3, 52))}],"crs":{"type":"name","properties":{"name":"EPSG:27700"}}}`;
    const res = await putData(ctx.t.app, slug, ctx.pub.token, text);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/comes after the features.*crs=EPSG:27700/);
  });

  it('refuses an unknown crs parameter with 400', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, bng, '?crs=EPSG:999999');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not a CRS we know/);
  });
});

describe('limits', () => {
  it('refuses a feature whose vertices exceed the limit, naming it', async () => {
    const small = await createTestApp({ verticesPerFeature: 10, features: 5, uploadBytes: 4000 });
    try {
      const p = await small.createPublisher();
      const slug = await small.createLayer(p.token);
      const line = { type: 'Feature', id: 'long', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: 11 }, (_, i) => [i / 100, 0]) } };
      const tooLong = await putData(small.app, slug, p.token, featureCollection([line]));
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.report.problems[0]).toMatchObject({ id: 'long', code: 'too-many-vertices' });

      const tooMany = await putData(small.app, slug, p.token, featureCollection(Array.from({ length: 6 }, (_, i) => pointFeature(i, 0, 0))));
      expect(tooMany.status).toBe(413);
      expect(tooMany.body.detail).toMatch(/more than 5 features/);

      const tooBig = await putData(small.app, slug, p.token, featureCollection([pointFeature('big', 0, 0, { text: 'x'.repeat(5000) })]));
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.detail).toMatch(/larger than the limit of 4000 bytes/);
      const uploads = await request(small.app).get(`/api/layers/${slug}/uploads`).set(bearer(p.token)).expect(200);
      expect(uploads.body.uploads.map((u: { status: string }) => u.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await versionTables(small)).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('upload progress', () => {
  it('records bytes and features for a progress bar, and the outcome', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const body = JSON.stringify(featureCollection(Array.from({ length: 50 }, (_, i) => pointFeature(i, i / 10, 0))));
    const res = await putData(ctx.t.app, slug, ctx.pub.token, body).expect(201);
    const list = await request(ctx.t.app).get(`/api/layers/${slug}/uploads`).set(bearer(ctx.pub.token)).expect(200);
    const [upload] = list.body.uploads;
    expect(upload).toMatchObject({ id: res.body.upload, status: 'published', phase: 'done', bytesReceived: body.length, bytesTotal: body.length, featuresRead: 50 });
    const one = await request(ctx.t.app).get(`/api/layers/${slug}/uploads/${upload.id}`).set(bearer(ctx.pub.token)).expect(200);
    expect(one.body.message).toBe('Published as version 1.');
  });
});
