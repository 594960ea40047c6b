import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ORGANISATION, seedSampleLayers } from '../server/src/seed-samples';
import { bearer, createTestApp, featureCollection, pointFeature, putData, type TestApp } from './helpers/test-app';

let t: TestApp;
let pub: { organisation: string; token: string };
let draft: string;

beforeAll(async () => {
  t = await createTestApp();
  expect(await seedSampleLayers(t.deps)).toBe(true);
  pub = await t.createPublisher('cyngor');
  const slug = await t.createLayer(pub.token, {
    title: { en: 'Flood zones', cy: 'Parthau llifogydd' },
    description: { en: 'Areas at risk of flooding from rivers.', cy: 'Ardaloedd sydd mewn perygl o lifogydd o afonydd.' },
    keywords: ['dŵr', 'afon'],
    theme: 'environment',
  });
  await putData(t.app, slug, pub.token, featureCollection([pointFeature('f', 0.5, 40)])).expect(201);
  draft = await t.createLayer(pub.token, { title: { en: 'Unpublished draft' } });
});
afterAll(() => t.close());

const slugs = (res: request.Response) => res.body.layers.map((l: { slug: string }) => l.slug);

describe('the sample layers seeded on first start', () => {
  it('are published through the upload path with their exact feature counts', async () => {
    const res = await request(t.app).get('/api/layers').query({ q: 'sample data', limit: 10 }).expect(200);
    const counts = Object.fromEntries(res.body.layers.map((l: { slug: string; featureCount: number }) => [l.slug, l.featureCount]));
    expect(counts).toMatchObject({ 'sample-schools': 300, 'sample-active-travel-routes': 150 });
    expect(counts['sample-wards']).toBeGreaterThanOrEqual(45);
    const wards = await request(t.app).get('/api/layers/sample-wards').expect(200);
    expect(wards.body.currentVersion.sourceCrs).toBe('EPSG:27700');
    expect(await seedSampleLayers(t.deps)).toBe(false);
  });
});

describe('searching the catalogue', () => {
  it('finds layers by English or Welsh words, with or without accents', async () => {
    expect(slugs(await request(t.app).get('/api/layers?q=ysgolion'))).toEqual(['sample-schools']);
    expect(slugs(await request(t.app).get('/api/layers?q=schools'))).toEqual(['sample-schools']);
    expect(slugs(await request(t.app).get('/api/layers?q=llifogydd'))).toHaveLength(1);
    expect(slugs(await request(t.app).get('/api/layers?q=dwr'))).toHaveLength(1);
    expect(slugs(await request(t.app).get('/api/layers?q=dŵr afon'))).toHaveLength(1);
    expect(slugs(await request(t.app).get('/api/layers?q=teithio llesol'))).toEqual(['sample-active-travel-routes']);
    expect(slugs(await request(t.app).get('/api/layers?q=nothing-like-this'))).toEqual([]);
  });

  it('filters by theme, organisation and bbox', async () => {
    expect(slugs(await request(t.app).get('/api/layers?theme=transport'))).toEqual(['sample-active-travel-routes']);
    expect(slugs(await request(t.app).get(`/api/layers?organisation=${pub.organisation}`))).toHaveLength(1);
    const wales = await request(t.app).get('/api/layers?bbox=-3.5,51.9,-3.0,52.1').expect(200);
    expect(slugs(wales).sort()).toEqual(['sample-active-travel-routes', 'sample-schools', 'sample-wards']);
    expect(slugs(await request(t.app).get('/api/layers?bbox=0,39,1,41'))).toHaveLength(1);
  });

  it('pages with limit and offset and links to the next page', async () => {
    const first = await request(t.app).get('/api/layers?limit=2').expect(200);
    expect(first.body.total).toBe(4);
    expect(first.body.layers).toHaveLength(2);
    const next = first.body.links.find((l: { rel: string }) => l.rel === 'next');
    const second = await request(t.app).get(next.href).expect(200);
    expect(second.body.layers).toHaveLength(2);
    expect(new Set([...slugs(first), ...slugs(second)]).size).toBe(4);
  });

  it('hides unpublished drafts except from their own organisation', async () => {
    expect(slugs(await request(t.app).get('/api/layers?limit=50'))).not.toContain(draft);
    await request(t.app).get(`/api/layers/${draft}`).expect(404);
    expect(slugs(await request(t.app).get('/api/layers?limit=50').set(bearer(pub.token)))).toContain(draft);
    const own = await request(t.app).get(`/api/layers/${draft}`).set(bearer(pub.token)).expect(200);
    expect(own.body.published).toBe(false);
  });

  it('answers a bad bbox or limit with a problem naming the parameter', async () => {
    const bbox = await request(t.app).get('/api/layers?bbox=1,2,3').expect(400);
    expect(bbox.headers['content-type']).toMatch(/problem\+json/);
    expect(bbox.body.detail).toMatch(/bbox must be four numbers/);
    const limit = await request(t.app).get('/api/layers?limit=0').expect(400);
    expect(limit.body.detail).toMatch(/limit must be a whole number from 1 to 500/);
  });
});

describe('layer detail and metadata', () => {
  it('gives the current version’s feature count, bbox, property schema and the version list', async () => {
    const res = await request(t.app).get('/api/layers/sample-schools').expect(200);
    expect(res.body).toMatchObject({ featureCount: 300, geometryType: 'Point', licence: 'OGL-UK-3.0', currentVersion: { version: 1 } });
    expect(res.body.properties).toEqual(expect.arrayContaining([{ name: 'pupils', type: 'integer' }, { name: 'welsh_medium', type: 'boolean' }, { name: 'opened', type: 'date' }]));
    expect(res.body.versions).toHaveLength(1);
    expect(res.body.bbox).toHaveLength(4);
  });

  it('refuses bad metadata with a problem that names each field', async () => {
    const res = await request(t.app)
      .post('/api/layers')
      .set(bearer(pub.token))
      .send({ slug: 'Bad Slug', title: {}, style: { color: 'red' } })
      .expect(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'title.en', 'style.color']));
  });

  it('refuses a second layer with the same slug with 409', async () => {
    const res = await request(t.app).post('/api/layers').set(bearer(pub.token)).send({ slug: 'sample-schools', title: { en: 'Mine' } });
    expect(res.status).toBe(409);
  });

  it('updates metadata and search text with PATCH', async () => {
    const slug = await t.createLayer(pub.token, { title: { en: 'Bins' } });
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('b', 1, 1)])).expect(201);
    const res = await request(t.app)
      .patch(`/api/layers/${slug}`)
      .set(bearer(pub.token))
      .send({ title: { cy: 'Biniau' }, keywords: ['recycling'], style: { color: '#123456' } })
      .expect(200);
    expect(res.body).toMatchObject({ title: { en: 'Bins', cy: 'Biniau' }, keywords: ['recycling'], style: { color: '#123456' } });
    expect(slugs(await request(t.app).get('/api/layers?q=biniau'))).toEqual([slug]);
  });
});
