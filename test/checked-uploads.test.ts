import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { checkedUploads } from '../server/src/ingest/checked-uploads';
import { bearer, currentFeatures, featureCollection, pointFeature, putData, useTestApp, versionTables } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

const layerWithVersion = async () => {
  const slug = await ctx.t.createLayer(ctx.pub.token);
  await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('served', -3.2, 51.5)])).expect(201);
  return slug;
};
const stage = (slug: string, ids: string[]) =>
  putData(ctx.t.app, slug, ctx.pub.token, featureCollection(ids.map((id, i) => pointFeature(id, -3.2 + i / 100, 51.5))), '?stage=true');
const uploadStatus = async (slug: string, id: number) => (await request(ctx.t.app).get(`/api/layers/${slug}/uploads/${id}`).set(bearer(ctx.pub.token)).expect(200)).body.status;

describe('checking an upload first, then publishing or discarding it', () => {
  it('checks and loads without serving, then publishes it as the next version once', async () => {
    const slug = await layerWithVersion();
    const checked = await stage(slug, ['new-1', 'new-2']);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ status: 'checked', featureCount: 2, geometryType: 'Point', report: { totals: { errors: 0 } } });
    expect(checked.headers.location).toBe(`/api/layers/${slug}/uploads/${checked.body.upload}`);
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['served']);
    expect(await uploadStatus(slug, checked.body.upload)).toBe('checked');

    const published = await request(ctx.t.app).post(checked.body.links.publish).set(bearer(ctx.pub.token)).expect(201);
    expect(published.body).toMatchObject({ version: 2, featureCount: 2 });
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['new-1', 'new-2']);
    expect(await uploadStatus(slug, checked.body.upload)).toBe('published');
    const versions = await request(ctx.t.app).get(`/api/layers/${slug}/versions`).expect(200);
    expect(versions.body.versions[0]).toMatchObject({ version: 2, current: true, source: { kind: 'upload', format: 'geojson' } });

    const again = await request(ctx.t.app).post(checked.body.links.publish).set(bearer(ctx.pub.token)).expect(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body.detail).toMatch(/is published/);
  });

  it('discards a checked upload, dropping its table and leaving the served version alone', async () => {
    const slug = await layerWithVersion();
    const checked = await stage(slug, ['unwanted']);
    const table = `u${checked.body.upload}`;
    expect(await versionTables(ctx.t)).toContain(table);
    await request(ctx.t.app).delete(`/api/layers/${slug}/uploads/${checked.body.upload}`).set(bearer(ctx.pub.token)).expect(204);
    expect(await versionTables(ctx.t)).not.toContain(table);
    expect(await uploadStatus(slug, checked.body.upload)).toBe('discarded');
    expect((await currentFeatures(ctx.t, slug)).map((f) => f.feature_id)).toEqual(['served']);
    await request(ctx.t.app).post(`/api/layers/${slug}/uploads/${checked.body.upload}/publish`).set(bearer(ctx.pub.token)).expect(409);
  });

  it('keeps one checked upload per layer: a newer one replaces the older', async () => {
    const slug = await layerWithVersion();
    const first = await stage(slug, ['first']);
    const second = await stage(slug, ['second']);
    expect(await uploadStatus(slug, first.body.upload)).toBe('discarded');
    expect(await versionTables(ctx.t)).not.toContain(`u${first.body.upload}`);
    expect(await uploadStatus(slug, second.body.upload)).toBe('checked');
  });

  it('refuses a bad upload under stage=true just as it would be refused for publishing', async () => {
    const slug = await layerWithVersion();
    const bad = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('x', -3.2, 95)]), '?stage=true');
    expect(bad.status).toBe(422);
    expect(bad.body.report.problems[0]).toMatchObject({ code: 'out-of-range' });
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('x', -3.2, 51)]), '?stage=maybe').expect(400);
  });

  it('lets only the layer’s own publishers publish or discard it, and not with a bad id', async () => {
    const slug = await layerWithVersion();
    const checked = await stage(slug, ['mine']);
    const other = await ctx.t.createPublisher('other-council');
    const url = `/api/layers/${slug}/uploads/${checked.body.upload}`;
    await request(ctx.t.app).post(`${url}/publish`).expect(401);
    await request(ctx.t.app).post(`${url}/publish`).set(bearer(other.token)).expect(403);
    await request(ctx.t.app).delete(url).set(bearer(other.token)).expect(403);
    await request(ctx.t.app).post(`/api/layers/${slug}/uploads/abc/publish`).set(bearer(ctx.pub.token)).expect(400);
    await request(ctx.t.app).post(`/api/layers/${slug}/uploads/999999/publish`).set(bearer(ctx.pub.token)).expect(404);
    expect(await uploadStatus(slug, checked.body.upload)).toBe('checked');
  });

  it('discards checked uploads left unpublished for a week, and a deleted layer takes its checked upload with it', async () => {
    const slug = await layerWithVersion();
    const old = await stage(slug, ['forgotten']);
    await ctx.t.deps.db.knex('uploads').where({ id: old.body.upload }).update({ updated_at: ctx.t.deps.db.knex.raw("now() - interval '8 days'") });
    expect(await checkedUploads({ ...ctx.t.deps, limits: ctx.t.deps.config.limits }).discardAbandoned()).toBe(1);
    expect(await uploadStatus(slug, old.body.upload)).toBe('discarded');
    expect(await versionTables(ctx.t)).not.toContain(`u${old.body.upload}`);

    const gone = await stage(slug, ['with-the-layer']);
    await request(ctx.t.app).delete(`/api/layers/${slug}`).set(bearer(ctx.pub.token)).expect(204);
    expect(await versionTables(ctx.t)).not.toContain(`u${gone.body.upload}`);
  });
});
