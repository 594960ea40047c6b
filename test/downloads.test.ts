import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSampleLayers } from '../server/src/seed-samples';
import { gdalAvailable } from './helpers/clients';
import { binary, createTestApp, featureCollection, pointFeature, putData, type TestApp } from './helpers/test-app';

let t: TestApp;
let dir: string;
const run = promisify(execFile);

beforeAll(async () => {
  t = await createTestApp();
  await seedSampleLayers(t.deps);
  dir = mkdtempSync(path.join(tmpdir(), 'haenau-downloads-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

describe('GeoJSON downloads', () => {
  it('streams the whole layer with its licence and attribution in the file and the headers', async () => {
    const res = await request(t.app).get('/api/layers/sample-schools/download').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="sample-schools-v1.geojson"');
    expect(res.headers.link).toMatch(/open-government-licence.*rel="license"/);
    expect(res.headers['x-licence']).toBe('OGL-UK-3.0');
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ type: 'FeatureCollection', licence: 'OGL-UK-3.0', attribution: 'Sample data, Haenau project', version: 1 });
    expect(body.features).toHaveLength(300);
    expect(new Set(body.features.map((f: { id: string }) => f.id)).size).toBe(300);
  });

  it('downloads in EPSG:27700 when asked', async () => {
    const res = await request(t.app).get('/api/layers/sample-wards/download?crs=http://www.opengis.net/def/crs/EPSG/0/27700').expect(200);
    const body = JSON.parse(res.text);
    expect(body.crs.properties.name).toBe('http://www.opengis.net/def/crs/EPSG/0/27700');
    expect(body.features[0].geometry.coordinates[0][0][0]).toBeGreaterThan(280_000);
  });

  it('reads a layer in keyset batches, every feature exactly once', async () => {
    const v = (await t.deps.layers.get('sample-schools'))!.currentVersion!;
    const ids: string[] = [];
    let batches = 0;
    for await (const rows of t.deps.featureStore.streamRows(v, 70)) {
      batches++;
      ids.push(...rows.map((r) => r.id));
    }
    expect(batches).toBe(5);
    expect(new Set(ids).size).toBe(300);
  });
});

describe('GeoPackage downloads', () => {
  it.runIf(gdalAvailable).each([
    ['sample-schools', 'Point', 300],
    ['sample-active-travel-routes', 'Line String', 150],
    ['sample-wards', 'Polygon', 50],
  ])('%s opens in GDAL with its geometry type, count, typed fields and licence', async (slug, type, count) => {
    const res = await request(t.app).get(`/api/layers/${slug}/download?format=gpkg`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geopackage\+sqlite3/);
    const file = path.join(dir, `${slug}.gpkg`);
    writeFileSync(file, res.body as Buffer);
    const { stdout, stderr } = await run('ogrinfo', ['-ro', '-so', '-al', file], { timeout: 30_000 });
    expect(stderr).not.toMatch(/ERROR|Warning/i);
    expect(stdout).toContain(`Geometry: ${type}`);
    expect(stdout).toContain(`Feature Count: ${count}`);
    expect(stdout).toMatch(/Licence: OGL-UK-3\.0/);
    if (slug === 'sample-schools') {
      expect(stdout).toMatch(/pupils: Integer/);
      expect(stdout).toMatch(/welsh_medium: Integer\(Boolean\)/);
      expect(stdout).toMatch(/opened: Date/);
      const { stdout: sql } = await run('ogrinfo', ['-ro', file, '-sql', "SELECT name, pupils FROM sample_schools WHERE feature_id = 'SCH0001'"], { timeout: 30_000 });
      const api = await request(t.app).get('/ogc/collections/sample-schools/items/SCH0001').expect(200);
      expect(sql).toMatch(new RegExp(`pupils \\(Integer(64)?\\) = ${api.body.properties.pupils}\\b`));
    }
  });
});

describe('CSV downloads', () => {
  it('gives points lon/lat columns and a header in schema order', async () => {
    const res = await request(t.app).get('/api/layers/sample-schools/download?format=csv').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,name,name_cy,type,pupils,welsh_medium,town,opened,lon,lat');
    expect(lines).toHaveLength(301);
  });

  it.runIf(gdalAvailable)('gives other geometries as WKT, readable by GDAL', async () => {
    const res = await request(t.app).get('/api/layers/sample-active-travel-routes/download?format=csv').expect(200);
    const file = path.join(dir, 'routes.csv');
    writeFileSync(file, res.text);
    const { stdout } = await run('ogrinfo', ['-ro', '-al', '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', file], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    expect(stdout).toMatch(/Feature Count: 150/);
    expect(stdout.match(/^\s+LINESTRING \(/gm)).toHaveLength(150);
  });

  it.runIf(gdalAvailable)('quotes commas, quotes and line breaks so every row stays one record', async () => {
    const pub = await t.createPublisher();
    const slug = await t.createLayer(pub.token);
    const awkward = 'Ysgol "Gymraeg", Aberystwyth\nail linell';
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('a', -4.08, 52.41, { name: awkward })])).expect(201);
    const res = await request(t.app).get(`/api/layers/${slug}/download?format=csv`).expect(200);
    expect(res.text).toContain('"Ysgol ""Gymraeg"", Aberystwyth\nail linell"');
    const file = path.join(dir, 'awkward.csv');
    writeFileSync(file, res.text);
    const { stdout } = await run('ogrinfo', ['-ro', '-al', file], { timeout: 30_000 });
    expect(stdout).toMatch(/Feature Count: 1|OGRFeature\(awkward\):1/);
  });

  it('refuses an unknown format with 400', async () => {
    const res = await request(t.app).get('/api/layers/sample-schools/download?format=shp').expect(400);
    expect(res.body.detail).toMatch(/format must be "geojson", "csv" or "gpkg"/);
  });
});
