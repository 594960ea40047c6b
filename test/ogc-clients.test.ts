import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSampleLayers } from '../server/src/seed-samples';
import { gdalAvailable, owslibAvailable } from './helpers/clients';
import { createTestApp, type TestApp } from './helpers/test-app';

/** Real clients GIS officers use: GDAL's ogr2ogr (gdal-bin) and OWSLib (python3-owslib), as .ci/run installs them. */
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's python, where apt installs python3-owslib

let t: TestApp;
let server: http.Server;
let base: string;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedSampleLayers(t.deps);
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(tmpdir(), 'haenau-clients-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

interface GeoJsonFeature {
  id?: string | number;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}

async function ogr2ogr(source: string, name: string, extra: string[] = []): Promise<GeoJsonFeature[]> {
  const out = path.join(dir, `${name}.geojson`);
  await run('ogr2ogr', ['-f', 'GeoJSON', out, source, ...extra], { timeout: 60_000 });
  return (JSON.parse(readFileSync(out, 'utf8')) as { features: GeoJsonFeature[] }).features;
}

/** Every feature of a layer as our API serves it, keyed by id. */
async function served(layer: string, crs?: string): Promise<Map<string, GeoJsonFeature>> {
  const res = await request(t.app).get(`/ogc/collections/${layer}/items?limit=10000${crs ? `&crs=${crs}` : ''}`).expect(200);
  return new Map((res.body.features as GeoJsonFeature[]).map((f) => [String(f.id), f]));
}

function flatten(c: unknown): number[] {
  return Array.isArray(c) ? c.flatMap(flatten) : [c as number];
}

function expectSameGeometry(a: GeoJsonFeature['geometry'], b: GeoJsonFeature['geometry'], tolerance: number) {
  expect(a.type.replace('Multi', '')).toBe(b.type.replace('Multi', ''));
  const [xa, xb] = [flatten(a.coordinates), flatten(b.coordinates)];
  expect(xa.length).toBe(xb.length);
  for (let i = 0; i < xa.length; i++) expect(Math.abs(xa[i]! - xb[i]!)).toBeLessThanOrEqual(tolerance);
}

describe.runIf(gdalAvailable)('GDAL reads every sample layer through OGC API – Features', () => {
  it.each(['sample-schools', 'sample-active-travel-routes', 'sample-wards'])('ogr2ogr copies %s with exact count, attributes and geometry', async (layer) => {
    const copied = await ogr2ogr(`OAPIF:${base}/ogc/collections/${layer}`, layer);
    const ours = await served(layer);
    expect(copied).toHaveLength(ours.size);
    for (const f of copied) {
      const mine = ours.get(String(f.properties.id ?? f.id));
      expect(mine, `feature ${f.properties.id}`).toBeDefined();
      for (const [k, v] of Object.entries(mine!.properties)) expect(f.properties[k]).toEqual(v);
      expectSameGeometry(f.geometry, mine!.geometry, 1e-7);
    }
  });

  it('agrees with the server’s own EPSG:27700 output when GDAL reprojects what it read', async () => {
    const copied = await ogr2ogr(`OAPIF:${base}/ogc/collections/sample-schools`, 'schools-27700', ['-t_srs', 'EPSG:27700']);
    const ours = await served('sample-schools', 'http://www.opengis.net/def/crs/EPSG/0/27700');
    expect(copied).toHaveLength(300);
    // PROJ in GDAL and in PostGIS may pick different datum shifts; a few metres is the same place.
    for (const f of copied) expectSameGeometry(f.geometry, ours.get(String(f.properties.id))!.geometry, 5);
  });

  it('lists the collections with their geometry types from the landing page', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${base}/ogc`], { timeout: 60_000 });
    expect(stdout).toMatch(/sample-schools .*\(Point\)/);
    expect(stdout).toMatch(/sample-active-travel-routes .*\(Line String\)/);
    expect(stdout).toMatch(/sample-wards .*\(Polygon\)/);
  });
});

describe.runIf(gdalAvailable)('GDAL reads every sample layer through WFS 2.0', () => {
  it.each(['sample-schools', 'sample-active-travel-routes', 'sample-wards'])('ogr2ogr copies %s in EPSG:4326 with exact count, attributes and geometry', async (layer) => {
    const copied = await ogr2ogr(`WFS:${base}/wfs`, `wfs-${layer}`, [layer]);
    const ours = await served(layer);
    expect(copied).toHaveLength(ours.size);
    for (const f of copied) {
      const mine = ours.get(String(f.properties.gml_id).replace(`${layer}.`, ''));
      expect(mine, `feature ${f.properties.gml_id}`).toBeDefined();
      for (const [k, v] of Object.entries(mine!.properties)) expect(f.properties[k]).toEqual(v);
      expectSameGeometry(f.geometry, mine!.geometry, 1e-7);
    }
  });

  it.each(['sample-schools', 'sample-wards'])('ogr2ogr copies %s in EPSG:27700 as the server projects it', async (layer) => {
    const copied = await ogr2ogr(`WFS:${base}/wfs?SRSNAME=urn:ogc:def:crs:EPSG::27700`, `wfs-27700-${layer}`, [layer]);
    const ours = await served(layer, 'http://www.opengis.net/def/crs/EPSG/0/27700');
    expect(copied).toHaveLength(ours.size);
    for (const f of copied) expectSameGeometry(f.geometry, ours.get(String(f.properties.gml_id).replace(`${layer}.`, ''))!.geometry, 0.01);
  });
});

describe.runIf(gdalAvailable && owslibAvailable)('GDAL and OWSLib read WFS 1.1.0 too', () => {
  it('ogr2ogr copies the wards through WFS 1.1.0 with exact attributes and geometry', async () => {
    const copied = await ogr2ogr(`WFS:${base}/wfs?VERSION=1.1.0`, 'wfs110-wards', ['sample-wards']);
    const ours = await served('sample-wards');
    expect(copied).toHaveLength(ours.size);
    for (const f of copied) {
      const mine = ours.get(String(f.properties.gml_id).replace('sample-wards.', ''))!;
      for (const [k, v] of Object.entries(mine.properties)) expect(f.properties[k]).toEqual(v);
      expectSameGeometry(f.geometry, mine.geometry, 1e-7);
    }
  });

  it('OWSLib lists the feature types and reads features with version 1.1.0', async () => {
    const script = `
import sys
from owslib.wfs import WebFeatureService
wfs = WebFeatureService(sys.argv[1], version="1.1.0")
print(",".join(sorted(wfs.contents)))
print(wfs.getfeature(typename=["haenau:sample-schools"], maxfeatures=2).read().decode().count("<gml:featureMember>"))
`;
    const { stdout } = await run(PYTHON, ['-c', script, `${base}/wfs`], { timeout: 60_000 });
    expect(stdout.trim().split('\n')).toEqual(['haenau:sample-active-travel-routes,haenau:sample-schools,haenau:sample-wards', '2']);
  });
});

describe.runIf(owslibAvailable)('OWSLib reads WFS 2.0', () => {
  it('reads the capabilities and the schools as GeoJSON', async () => {
    const script = `
import json, sys
from owslib.wfs import WebFeatureService
wfs = WebFeatureService(sys.argv[1], version="2.0.0")
layers = sorted(wfs.contents)
crs = [str(c) for c in wfs.contents["haenau:sample-schools"].crsOptions]
bbox = wfs.contents["haenau:sample-schools"].boundingBoxWGS84
response = wfs.getfeature(typename=["haenau:sample-schools"], outputFormat="application/json", maxfeatures=1000)
data = json.loads(response.read())
print(json.dumps({"layers": layers, "crs": crs, "bbox": bbox, "count": len(data["features"]), "first": data["features"][0]["properties"]["name"]}))
`;
    const { stdout } = await run(PYTHON, ['-c', script, `${base}/wfs`], { timeout: 60_000 });
    const out = JSON.parse(stdout) as { layers: string[]; crs: string[]; bbox: number[]; count: number; first: string };
    expect(out.layers).toEqual(['haenau:sample-active-travel-routes', 'haenau:sample-schools', 'haenau:sample-wards']);
    expect(out.crs.join(' ')).toMatch(/4326/);
    expect(out.crs.join(' ')).toMatch(/27700/);
    expect(out.bbox[0]).toBeLessThan(-2.8);
    expect(out.count).toBe(300);
    expect([...(await served('sample-schools')).values()].map((f) => f.properties.name)).toContain(out.first);
  });
});

describe.runIf(owslibAvailable)('OWSLib reads OGC API – Features', () => {
  it('reads the collections and every school', async () => {
    const script = `
import json, sys
from owslib.ogcapi.features import Features
api = Features(sys.argv[1])
ids = [c["id"] for c in api.collections()["collections"]]
conformance = api.conformance()["conformsTo"]
items = api.collection_items("sample-schools", limit=1000)
bng = api.collection_items("sample-schools", limit=1, crs="http://www.opengis.net/def/crs/EPSG/0/27700")
print(json.dumps({"ids": ids, "conformance": conformance, "matched": items["numberMatched"], "returned": items["numberReturned"],
                  "first": items["features"][0]["properties"]["name"], "bng": bng["features"][0]["geometry"]["coordinates"]}))
`;
    const { stdout } = await run(PYTHON, ['-c', script, `${base}/ogc`], { timeout: 60_000 });
    const out = JSON.parse(stdout) as { ids: string[]; conformance: string[]; matched: number; returned: number; first: string; bng: number[] };
    expect(out.ids).toEqual(expect.arrayContaining(['sample-schools', 'sample-active-travel-routes', 'sample-wards']));
    expect(out.conformance).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    expect(out).toMatchObject({ matched: 300, returned: 300 });
    expect(out.bng).toEqual((await served('sample-schools', 'http://www.opengis.net/def/crs/EPSG/0/27700')).get('SCH0001')!.geometry.coordinates);
    const ours = await served('sample-schools');
    expect([...ours.values()].map((f) => f.properties.name)).toContain(out.first);
  });
});
