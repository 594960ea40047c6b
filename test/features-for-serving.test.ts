import { describe, expect, it } from 'vitest';
import { featureJson } from '../server/src/features/feature-sql';
import type { FeatureQuery } from '../server/src/features/feature-query';
import { rewriteForServing } from '../server/src/features/features-for-serving';
import { versionTable } from '../server/src/ingest/version-table';
import type { LayerVersion } from '../server/src/layers/layer';
import { CRS84, EPSG_4326, EPSG_27700 } from '../server/src/platform/geo/crs';
import { createLogger } from '../server/src/platform/log';
import { featureCollection, pointFeature, putData, useTestApp, versionTables } from './helpers/test-app';

/** Features in no spatial order, of every kind a page must render the same way from stored text. */
function mixedFeatures() {
  const features: unknown[] = [];
  for (let i = 0; i < 240; i++) {
    // Scattered: neighbours in fid order are far apart on the map.
    const lon = -5 + ((i * 7919) % 241) / 100;
    const lat = 51.5 + ((i * 104729) % 239) / 140;
    const props = { n: i, name: i % 7 === 0 ? 'Ysgol Gymraeg “Bro” ✓' : `place ${i}`, flag: i % 2 === 0, note: i % 5 === 0 ? null : { depth: i / 3, tags: ['a', i] } };
    const id = i % 3 === 0 ? undefined : i % 3 === 1 ? `f-${i}` : 10_000 + i;
    if (i % 11 === 0) features.push({ type: 'Feature', id, properties: props, geometry: { type: 'LineString', coordinates: [[lon, lat], [lon + 0.01, lat + 0.02], [lon + 0.03, lat]] } });
    else if (i % 13 === 0) features.push({ type: 'Feature', id, properties: props, geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.02, lat], [lon + 0.02, lat + 0.01], [lon, lat]]] } });
    else if (i % 17 === 0) features.push({ type: 'Feature', id, properties: props, geometry: null });
    else features.push(pointFeature(id, lon, lat, props));
  }
  return featureCollection(features);
}

describe('a published version is rewritten for serving', () => {
  const ctx = useTestApp({ publisher: true });

  async function published(): Promise<{ slug: string; version: LayerVersion }> {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    await putData(ctx.t.app, slug, ctx.pub.token, mixedFeatures()).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    return { slug, version: (await ctx.t.deps.layers.get(slug))!.currentVersion! };
  }

  /** Every page of the layer, 50 at a time by keyset, as the feature store serves them. */
  async function allPages(version: LayerVersion, q: Partial<FeatureQuery> = {}) {
    const pages: string[][] = [];
    for (let after: number | undefined; ; ) {
      const page = await ctx.t.deps.featureStore.query(version, { equals: [], limit: 50, offset: 0, after, crs: CRS84, ...q });
      pages.push(page.features);
      if (!page.hasMore) return pages;
      after = page.lastFid;
    }
  }

  it('stores each feature as the live expression renders it, and serves the same pages in fid order', async () => {
    const { version } = await published();
    expect(version.featuresReady).toBe(true);
    const table = versionTable(version.tableName);
    const live = featureJson({ crs: CRS84 });
    // `featureJson` with prerendered unset is the expression built per request.
    const { rows } = (await ctx.t.deps.db.knex.raw(`SELECT count(*)::int AS n, count(*) FILTER (WHERE geojson IS DISTINCT FROM (${live.sql}))::int AS differ FROM ${table}`)) as { rows: Array<{ n: number; differ: number }> };
    expect(rows[0]).toEqual({ n: 240, differ: 0 });

    const stored = await allPages(version);
    expect(stored.flat()).toHaveLength(240);
    expect(await allPages({ ...version, featuresReady: false })).toEqual(stored);
    const ids = stored.flat().map((f) => (JSON.parse(f) as { id: unknown }).id);
    // A feature without an id is called by its fid; ids are kept as the text they were stored as.
    expect(ids.slice(0, 4)).toEqual([1, 'f-1', '10002', 4]);
    // WFS GeoJSON in EPSG:4326 is written lon/lat with CRS84's decimals: the same text, read as stored.
    const wfsGeojson = { ...EPSG_4326, flipAxes: false };
    expect(featureJson({ crs: wfsGeojson, prerendered: true }).sql).toBe('geojson');
    expect(featureJson({ crs: EPSG_4326, prerendered: true }).sql).not.toBe('geojson');
    expect(await allPages(version, { crs: wfsGeojson })).toEqual(stored);
    // Other CRSs and property selections still build their text per request.
    const inBng = await allPages(version, { crs: EPSG_27700, properties: ['n'] });
    expect(JSON.parse(inBng[0]![1]!)).toMatchObject({ id: 'f-1', properties: { n: 1 } });
    expect((JSON.parse(inBng[0]![1]!) as { geometry: { coordinates: number[] } }).geometry.coordinates[0]).toBeGreaterThan(100_000);
  });

  it('lays rows out in spatial order, not upload order', async () => {
    const { version } = await published();
    const { rows } = (await ctx.t.deps.db.knex.raw(`SELECT fid FROM ${versionTable(version.tableName)} ORDER BY ctid`)) as { rows: Array<{ fid: number }> };
    const fids = rows.map((r) => r.fid);
    expect(fids).toHaveLength(240);
    expect(fids).not.toEqual([...fids].sort((a, b) => a - b));
    // Features without a geometry (every 17th, unless a line or polygon) go last, in fid order.
    const withoutGeometry = [18, 35, 52, 69, 86, 103, 120, 137, 154, 171, 205, 239];
    expect(fids.slice(-withoutGeometry.length)).toEqual(withoutGeometry);
  });

  it('answers a statement prepared against the table it replaced', async () => {
    const { version } = await published();
    const bbox = { coords: [-5, 51.5, -2, 53.5] as [number, number, number, number], srid: 4326 };
    const page = () => ctx.t.deps.featureStore.query(version, { bbox, equals: [], limit: 30, offset: 0, crs: CRS84 });
    // Named statements, prepared on several pooled connections.
    const before = await Promise.all(Array.from({ length: 8 }, page));
    expect(await rewriteForServing(ctx.t.deps.db, createLogger('silent'), { id: version.id, table_name: version.tableName, geometry_type: version.geometryType })).toBe('done');
    const after = await Promise.all(Array.from({ length: 8 }, page));
    expect(after).toEqual(before);
    expect(before[0]!.features).toHaveLength(30);
    expect(await versionTables(ctx.t)).not.toContain(`${version.tableName}_rewrite`);
  });

  it('reorders a layer of single points without storing text', async () => {
    const slug = await ctx.t.createLayer(ctx.pub.token);
    const points = [pointFeature('a', -3.1, 52.1, { n: 1 }), pointFeature('b', -3.2, 52.2, { n: 2 }), pointFeature('c', -5, 51.6, { n: 3 })];
    await putData(ctx.t.app, slug, ctx.pub.token, featureCollection(points)).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    const version = (await ctx.t.deps.layers.get(slug))!.currentVersion!;
    expect(version.featuresReady).toBe(true);
    const { rows } = (await ctx.t.deps.db.knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'layer_data' AND table_name = ? ORDER BY ordinal_position`, [version.tableName])) as { rows: Array<{ column_name: string }> };
    expect(rows.map((r) => r.column_name)).toEqual(['fid', 'feature_id', 'properties', 'geom']);
    // Geohash order: the westernmost, south of the others, first; upload order was 1, 2, 3.
    const { rows: stored } = (await ctx.t.deps.db.knex.raw(`SELECT fid FROM ${versionTable(version.tableName)} ORDER BY ctid`)) as { rows: Array<{ fid: number }> };
    expect(stored.map((r) => r.fid)).toEqual([3, 2, 1]);
    const pages = await allPages(version);
    expect(pages.flat().map((f) => JSON.parse(f) as unknown)).toEqual(points.map((p) => JSON.parse(JSON.stringify(p)) as unknown));
  });

  it('rewrites, at start, versions published before rewrites existed', async () => {
    const { slug, version } = await published();
    await ctx.t.deps.db.knex('layer_versions').where({ id: version.id }).update({ features_ready: false });
    ctx.t.deps.published.invalidate();
    expect((await ctx.t.deps.layers.get(slug))!.currentVersion!.featuresReady).toBe(false);
    await ctx.t.deps.tilePreparer.prepareMissing();
    expect((await ctx.t.deps.layers.get(slug))!.currentVersion!.featuresReady).toBe(true);
    expect(await versionTables(ctx.t)).toContain(version.tableName);
  });
});
