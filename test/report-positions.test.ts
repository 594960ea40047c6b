import { describe, expect, it } from 'vitest';
import { featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';

const ctx = useTestApp({ publisher: true });

const feature = (id: string, geometry: unknown) => ({ type: 'Feature', id, properties: {}, geometry });
/** A bow tie: its two edges cross at (1, 1). */
const bowTie = { type: 'Polygon', coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]] };

describe('where a report’s problems are (so the portal can show them on a map)', () => {
  it('places an invalid polygon’s problem at the self-intersection PostGIS found', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('ok', -3, 52), feature('bow', bowTie)]), '?invalid=reject');
    expect(res.status).toBe(422);
    const p = res.body.report.problems.find((x: { code: string }) => x.code === 'invalid-geometry');
    expect(p).toMatchObject({ id: 'bow', index: 1, severity: 'error' });
    expect(p.at[0]).toBeCloseTo(1, 6);
    expect(p.at[1]).toBeCloseTo(1, 6);
  });

  it('places a repaired feature’s problem at its first vertex, in longitude and latitude', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const mixed = feature('m', { type: 'LineString', coordinates: [[-3.5, 51.6, 10], [-3.4, 51.7]] });
    const res = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([mixed]));
    expect(res.status).toBe(201);
    expect(res.body.report.problems).toEqual([expect.objectContaining({ code: 'mixed-dimensions', at: [-3.5, 51.6] })]);
  });

  it('moves positions read in British National Grid to longitude and latitude', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    // Cardiff's civic centre, about 318,100 E 177,000 N: mixed 2D/3D, so it is reported (and repaired).
    const mixed = feature('bng', { type: 'LineString', coordinates: [[318100, 177000, 5], [318200, 177100]] });
    const res = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([mixed]), '?crs=EPSG:27700');
    expect(res.status).toBe(201);
    const [p] = res.body.report.problems.filter((x: { code: string }) => x.code === 'mixed-dimensions');
    expect(p.at[0]).toBeGreaterThan(-3.2);
    expect(p.at[0]).toBeLessThan(-3.15);
    expect(p.at[1]).toBeGreaterThan(51.47);
    expect(p.at[1]).toBeLessThan(51.5);
  });

  it('gives no position to a feature whose coordinates are out of range, and places duplicate ids at the repeat', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const res = await putData(
      ctx.t.app,
      slug,
      ctx.pub.token,
      featureCollection([pointFeature('a', -3, 52), pointFeature('far', 500, 52), pointFeature('a', -4, 53)]),
    );
    expect(res.status).toBe(422);
    const byCode = Object.fromEntries(res.body.report.problems.map((x: { code: string }) => [x.code, x]));
    expect(byCode['out-of-range'].at).toBeUndefined();
    // The out-of-range feature stops the upload before PostGIS looks for duplicates.
    expect(byCode['duplicate-id']).toBeUndefined();
    const dup = await putData(ctx.t.app, slug, ctx.pub.token, featureCollection([pointFeature('a', -3, 52), pointFeature('a', -4, 53)]));
    expect(dup.status).toBe(422);
    expect(dup.body.report.problems[0]).toMatchObject({ code: 'duplicate-id', index: 1, at: [-4, 53] });
  });
});
