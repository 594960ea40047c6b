import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { decodeTile, tileOf } from './helpers/mvt';
import { bearer, binary, featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });
const { z, x, y } = tileOf(-3.2, 51.5, 10);
const previewUrl = (slug: string, version: number | string) => `/api/layers/${slug}/versions/${version}/tiles/WebMercatorQuad/${z}/${y}/${x}`;

describe('previewing any version of a layer as tiles', () => {
  it('draws each version as it was, for the layer’s organisation only', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('old', -3.2, 51.5, { name: 'first' })])).expect(201);
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('new', -3.2001, 51.5001, { name: 'second' }), pointFeature('new2', -3.2002, 51.5002, { name: 'second' })])).expect(201);

    const names = async (version: number) => {
      const res = await request(ctx.t.app).get(previewUrl(slug, version)).set(bearer(ctx.pub.token)).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/vnd.mapbox-vector-tile/);
      expect(res.headers['cache-control']).toMatch(/^private/);
      return decodeTile(res.body)[slug]!.map((f) => f.properties.name);
    };
    expect(await names(1)).toEqual(['first']);
    expect(await names(2)).toEqual(['second', 'second']);

    await request(ctx.t.app).get(previewUrl(slug, 1)).expect(401);
    const other = await ctx.t.createPublisher('elsewhere');
    const refused = await request(ctx.t.app).get(previewUrl(slug, 1)).set(bearer(other.token)).expect(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const missing = await request(ctx.t.app).get(previewUrl(slug, 3)).set(bearer(ctx.pub.token)).expect(404);
    expect(missing.body.detail).toMatch(/no version 3/);
    await request(ctx.t.app).get(previewUrl(slug, 'x')).set(bearer(ctx.pub.token)).expect(400);
    // A tile with nothing in it is empty, as the public tiles are.
    await request(ctx.t.app).get(`/api/layers/${slug}/versions/1/tiles/WebMercatorQuad/10/0/0`).set(bearer(ctx.pub.token)).expect(204);
  });
});
