import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { tileOf } from './helpers/mvt';
import { useTestApp } from './helpers/test-app';

// Feature pages are served on node:http ahead of Express: they must behave as the rest of the API does.
const ctx = useTestApp({ seed: true });
const app = () => request(ctx.t.app);

describe('feature pages on the read routes', () => {
  it('answers HEAD with the GET headers and no body', async () => {
    const get = await app().get('/ogc/collections/sample-schools/items?limit=2').expect(200);
    const head = await app().head('/ogc/collections/sample-schools/items?limit=2').expect(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('sends Content-Length, the CRS and the public CORS headers', async () => {
    const res = await app().get('/ogc/collections/sample-schools/items?limit=2').expect(200);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(res.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toMatch(/Content-Crs/);
  });

  it('matches paths as Express does: any letter case and a trailing slash', async () => {
    const res = await app().get('/OGC/Collections/sample-schools/items/?limit=1').expect(200);
    expect(res.body.numberReturned).toBe(1);
  });

  it('links pages with the scheme a proxy on this machine reports', async () => {
    const res = await app().get('/ogc/collections/sample-schools/items?limit=1').set('X-Forwarded-Proto', 'https').set('Host', 'maps.example.gov.wales').expect(200);
    const self = res.body.links.find((l: { rel: string }) => l.rel === 'self');
    expect(self.href).toMatch(/^https:\/\/maps\.example\.gov\.wales\/ogc\/collections\/sample-schools\/items\?/);
  });

  it('reports a bad parameter as problem+json naming it, with the request as the instance', async () => {
    const res = await app().get('/ogc/collections/sample-schools/items?limit=zero').expect(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ status: 400, title: 'Invalid request', instance: '/ogc/collections/sample-schools/items?limit=zero' });
    expect(res.body.detail).toMatch(/^limit must be a whole number/);
  });

  it('answers an unknown collection with 404 problem+json', async () => {
    const res = await app().get('/ogc/collections/no-such-layer/items').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('leaves a malformed %-escape in the path to the app, which refuses it', async () => {
    const res = await app().get('/ogc/collections/%E0%A4%A/items');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/malformed %-escape/);
  });

  it('serves tiles there too: HEAD with the GET headers, CORS, and a 304 for the ETag', async () => {
    const t = tileOf(-3.25, 52.0, 10);
    const path = `/ogc/collections/sample-schools/tiles/WebMercatorQuad/${t.z}/${t.y}/${t.x}`;
    const get = await app().get(path).set('Accept-Encoding', 'gzip').expect(200);
    expect(get.headers['access-control-allow-origin']).toBe('*');
    const head = await app().head(path).set('Accept-Encoding', 'gzip').expect(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers.etag).toBe(get.headers.etag);
    await app().get(path).set('Accept-Encoding', 'gzip').set('If-None-Match', get.headers.etag!).expect(304);
  });

  it('leaves other methods to the app', async () => {
    const res = await app().post('/ogc/collections/sample-schools/items').send({});
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
