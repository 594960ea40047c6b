import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

describe('what a version changed against the one before it', () => {
  it('counts features added, removed, changed and unchanged, matched on their ids', async () => {
    const { t, pub } = ctx;
    const slug = await t.createLayer(pub.token);
    const changes = (v: number) => request(t.app).get(`/api/layers/${slug}/versions/${v}/changes`).expect(200);
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('a', -3.2, 51.5, { n: 1 }), pointFeature('b', -3.1, 51.5), pointFeature('c', -3.0, 51.5)])).expect(201);
    // a's property changes, b stays, c goes, d comes; e moves.
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('a', -3.2, 51.5, { n: 2 }), pointFeature('b', -3.1, 51.5), pointFeature('d', -3.3, 51.6)])).expect(201);
    await putData(t.app, slug, pub.token, featureCollection([pointFeature('a', -3.2, 51.5, { n: 2 }), pointFeature('b', -3.1, 51.51), pointFeature('d', -3.3, 51.6)])).expect(201);
    await putData(t.app, slug, pub.token, featureCollection([pointFeature(undefined, -3.2, 51.5)])).expect(201);

    expect((await changes(1)).body).toMatchObject({ version: 1, comparable: false, since: null });
    expect((await changes(2)).body).toMatchObject({ version: 2, comparable: true, since: 1, added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect((await changes(3)).body).toMatchObject({ comparable: true, since: 2, added: 0, removed: 0, changed: 1, unchanged: 2 });
    expect((await changes(4)).body).toMatchObject({ comparable: false, since: 3 });
    await request(t.app).get(`/api/layers/${slug}/versions/9/changes`).expect(404);
    await request(t.app).get(`/api/layers/${slug}/versions/zero/changes`).expect(400);
  });
});
