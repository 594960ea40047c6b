import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, currentFeatures, featureCollection, pointFeature, putData, type TestApp, versionTables } from './helpers/test-app';

let t: TestApp;
let server: http.Server;
let port: number;
let pub: { organisation: string; token: string };

beforeAll(async () => {
  t = await createTestApp();
  pub = await t.createPublisher();
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function waitForUpload(slug: string, predicate: (u: { status: string }) => boolean) {
  for (let i = 0; i < 100; i++) {
    const res = await request(t.app).get(`/api/layers/${slug}/uploads`).set(bearer(pub.token)).expect(200);
    const latest = res.body.uploads[0];
    if (latest && predicate(latest)) return latest;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the upload never reached the expected state');
}

describe('an upload whose connection dies half-way', () => {
  it('leaves the previous version serving, records the upload as aborted and drops its table', async () => {
    const slug = await t.createLayer(pub.token);
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('kept', -3, 52, { v: 1 })])).expect(201);
    await t.deps.tilePreparer.idle();
    const tablesBefore = await versionTables(t);

    // Send the start of a large FeatureCollection, wait until the server is loading it, then cut the socket.
    const features = Array.from({ length: 5000 }, (_, i) => JSON.stringify(pointFeature(`new-${i}`, -3 + i / 1e4, 52, { v: 2 })));
    const head = `{"type":"FeatureCollection","features":[${features.join(',')},`;
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/api/layers/${slug}/data`,
      headers: { ...bearer(pub.token), 'Content-Type': 'application/geo+json', 'Content-Length': String(head.length * 3) },
    });
    req.on('error', () => {});
    req.write(head);
    await waitForUpload(slug, (u) => u.status === 'running');
    req.destroy();

    const upload = await waitForUpload(slug, (u) => u.status !== 'running');
    expect(upload.status).toBe('aborted');
    expect(upload.message).toMatch(/stopped after \d+ bytes; nothing was changed/);

    const served = await currentFeatures(t, slug);
    expect(served.map((f) => [f.feature_id, f.properties.v])).toEqual([['kept', 1]]);
    const detail = await request(t.app).get(`/api/layers/${slug}`).expect(200);
    expect(detail.body.currentVersion.version).toBe(1);
    expect(detail.body.versions).toHaveLength(1);
    expect(await versionTables(t)).toEqual(tablesBefore);
  });

  it('keeps serving the previous version to readers while a new one loads, then flips at once', async () => {
    const slug = await t.createLayer(pub.token);
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('old', -3, 52)])).expect(201);
    const body = `{"type":"FeatureCollection","features":[${Array.from({ length: 3000 }, (_, i) => JSON.stringify(pointFeature(`n${i}`, -3, 52)))}]}`;
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: `/api/layers/${slug}/data`,
      headers: { ...bearer(pub.token), 'Content-Type': 'application/geo+json', 'Content-Length': String(body.length) },
    });
    const done = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
    });
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    await waitForUpload(slug, (u) => u.status === 'running');
    expect((await currentFeatures(t, slug)).map((f) => f.feature_id)).toEqual(['old']);
    req.end(body.slice(half));
    expect(await done).toBe(201);
    expect(await currentFeatures(t, slug)).toHaveLength(3000);
  });
});
