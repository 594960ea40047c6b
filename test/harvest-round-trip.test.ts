import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAndHarvest } from './helpers/harvest';
import { bearer, createTestApp, currentFeatures, featureCollection, putData, type TestApp } from './helpers/test-app';

/** A layer another council publishes on its own Haenau: lines and points, Welsh text, numbers, nulls, nested values. */
const published = featureCollection([
  { type: 'Feature', id: 'r1', properties: { name: 'Llwybr Taf', length_m: 1520.5, open: true, surface: null, tags: { lit: 'yes' } }, geometry: { type: 'LineString', coordinates: [[-3.18, 51.48], [-3.2, 51.5], [-3.22, 51.52]] } },
  { type: 'Feature', id: 'r2', properties: { name: 'Ffordd y Bont', length_m: 310, open: false, surface: 'tarmac', tags: null }, geometry: { type: 'MultiLineString', coordinates: [[[-3.1, 51.45], [-3.11, 51.46]], [[-3.12, 51.47], [-3.13, 51.48]]] } },
  { type: 'Feature', id: 's1', properties: { name: 'Ysgol Gymraeg Treganna', length_m: 0, open: true, surface: 'grass', tags: { phase: 'primary' } }, geometry: { type: 'Point', coordinates: [-3.2041, 51.4822] } },
]);

describe('a round trip: one Haenau harvests another Haenau’s WFS and OGC API', () => {
  let source: TestApp;
  let here: TestApp;
  let server: Server;
  let origin: string;
  let slug: string;
  let token: string;

  beforeAll(async () => {
    [source, here] = await Promise.all([createTestApp(), createTestApp({}, { HAENAU_HARVEST_PAGE_SIZE: '2' })]);
    const other = await source.createPublisher('other-council');
    slug = await source.createLayer(other.token);
    await putData(source.app, slug, other.token, published).expect(201);
    server = createServer(source.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ token } = await here.createPublisher('here'));
  }, 120_000);
  afterAll(async () => {
    server?.close();
    await Promise.all([source?.close(), here?.close()]);
  });

  it.each([
    ['ogcapi', () => ({ url: `${origin}/ogc`, collectionId: slug })],
    ['wfs', () => ({ url: `${origin}/wfs`, typeName: slug })],
  ])('copies every feature, property and geometry through %s, two features a page', async (kind, body) => {
    const inspected = await request(here.app).post('/api/sources/inspect').set(bearer(token)).send({ url: body().url }).expect(200);
    expect(inspected.body.kind).toBe(kind);
    const mine = await here.createLayer(token);
    const { harvest } = await registerAndHarvest(here.app, mine, token, body());
    expect(harvest).toMatchObject({ status: 'published', features: 3, pages: 2 });
    const theirs = await currentFeatures(source, slug);
    const ours = await currentFeatures(here, mine);
    expect(ours.map((r) => r.feature_id)).toEqual(theirs.map((r) => r.feature_id));
    for (const [i, row] of ours.entries()) {
      expect(row.properties).toEqual(theirs[i]!.properties);
      expect(row.geometry!.type).toBe(theirs[i]!.geometry!.type);
      const flat = (c: unknown): number[] => (Array.isArray(c) ? c.flatMap(flat) : [c as number]);
      const a = flat(row.geometry!.coordinates);
      const b = flat(theirs[i]!.geometry!.coordinates);
      expect(a).toHaveLength(b.length);
      a.forEach((x, j) => expect(x).toBeCloseTo(b[j]!, 7));
    }
  });
});
