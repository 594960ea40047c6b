import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { ServedLayer } from '../server/src/tiles/tile-store';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { bearer, binary, featureCollection, pointFeature, putData, useTestApp } from './helpers/test-app';
import { decodeTile, tileLonLatBounds, tileOf } from './helpers/mvt';

const ctx = useTestApp({ seed: true, publisher: true });
const MVT = 'application/vnd.mapbox-vector-tile';
const tilePath = (slug: string, t: { z: number; x: number; y: number }) => `/ogc/collections/${slug}/tiles/WebMercatorQuad/${t.z}/${t.y}/${t.x}`;
const getTile = (path: string) => request(ctx.t.app).get(path).buffer(true).parse(binary);

/** Ids of the features the items API finds in a lon/lat box (paged through). */
async function itemIds(slug: string, bbox: number[]): Promise<Set<string>> {
  const res = await request(ctx.t.app).get(`/ogc/collections/${slug}/items?bbox=${bbox.join(',')}&limit=10000`).expect(200);
  return new Set((res.body.features as Array<{ id: string | number }>).map((f) => String(f.id)));
}

const featureIdOf = (f: { id?: number; properties: Record<string, unknown> }) => String(f.properties['@id'] ?? f.id);

describe('tiles of one layer', () => {
  it('draws exactly the features in the tile, with their properties, and the ids the items API uses', async () => {
    const t = tileOf(-3.25, 52.0, 10);
    const res = await getTile(tilePath('sample-schools', t)).expect(200).expect('Content-Type', MVT);
    const features = decodeTile(res.body)['sample-schools']!;
    const ids = new Set(features.map(featureIdOf));
    // Everything inside the tile is drawn; nothing from beyond its 64/4096 buffer is.
    for (const id of await itemIds('sample-schools', tileLonLatBounds(t.z, t.x, t.y))) expect(ids).toContain(id);
    const buffered = await itemIds('sample-schools', tileLonLatBounds(t.z, t.x, t.y, 64 / 4096));
    for (const id of ids) expect(buffered).toContain(id);
    expect(features.length).toBeGreaterThan(3);

    const one = features[0]!;
    const item = await request(ctx.t.app).get(`/ogc/collections/sample-schools/items/${featureIdOf(one)}`).expect(200);
    const expected = Object.fromEntries(Object.entries(item.body.properties as Record<string, unknown>).filter(([, v]) => v !== null && typeof v !== 'object'));
    const { '@id': _, ...drawn } = one.properties;
    expect(drawn).toEqual(expected);
    expect(one.type).toBe(1);
    for (const p of one.geometry.flat()) {
      expect(p.x).toBeGreaterThanOrEqual(-64);
      expect(p.x).toBeLessThanOrEqual(4096 + 64);
    }
  });

  it('describes the layer in TileJSON 3.0 with a versioned tiles URL, bounds and fields', async () => {
    const res = await request(ctx.t.app).get('/ogc/collections/sample-wards/tiles/WebMercatorQuad').expect(200);
    const layer = await ctx.t.deps.published.get('sample-wards');
    expect(res.body).toMatchObject({ tilejson: '3.0.0', scheme: 'xyz', minzoom: 0, maxzoom: 16 });
    expect(res.body.tiles[0]).toMatch(new RegExp(`/ogc/collections/sample-wards/tiles/WebMercatorQuad/\\{z\\}/\\{y\\}/\\{x\\}\\?v=${layer!.currentVersion!.id}$`));
    expect(res.body.bounds).toEqual(layer!.currentVersion!.bbox);
    const [vl] = res.body.vector_layers;
    expect(vl.id).toBe('sample-wards');
    expect(vl.fields).toMatchObject({ name: 'String', population: 'Number' });
    expect(vl.generalisation).toMatchObject({ method: ['drop-sub-pixel'], fullDetailFromZoom: 11 });
    const sets = await request(ctx.t.app).get('/ogc/collections/sample-wards/tiles').expect(200);
    expect(sets.body.tilesets[0].links.map((l: { rel: string }) => l.rel)).toContain('item');
    const tms = await request(ctx.t.app).get('/ogc/tileMatrixSets/WebMercatorQuad').expect(200);
    expect(tms.body.tileMatrices[0]).toMatchObject({ id: '0', matrixWidth: 1, tileWidth: 256 });
  });

  it('answers 204 for an empty tile, 400 for a tile outside the matrix and 404 for an unknown layer', async () => {
    const empty = await getTile(tilePath('sample-schools', { z: 8, x: 10, y: 10 })).expect(204);
    expect(empty.headers.etag).toBeDefined();
    for (const [path, parameter] of [
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/23/0/0', 'tileMatrix'],
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/3/8/0', 'tileRow'],
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/3/0/8', 'tileCol'],
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/3/-1/0', 'tileRow'],
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/z/0/0', 'tileMatrix'],
      ['/ogc/collections/sample-schools/tiles/WebMercatorQuad/3/1.5/0', 'tileRow'],
    ] as const) {
      const res = await request(ctx.t.app).get(path).expect(400).expect('Content-Type', /application\/problem\+json/);
      expect(res.body.parameter).toBe(parameter);
    }
    const missing = await request(ctx.t.app).get('/ogc/collections/no-such-layer/tiles/WebMercatorQuad/3/0/0').expect(404);
    expect(missing.body.detail).toContain('no-such-layer');
  });
});

describe('tiles of several layers', () => {
  it('returns one MVT layer per collection, in the order asked', async () => {
    const t = tileOf(-3.25, 52.0, 9);
    const res = await getTile(`/ogc/tiles/WebMercatorQuad/${t.z}/${t.y}/${t.x}?collections=sample-wards,sample-active-travel-routes,sample-schools`).expect(200);
    const decoded = decodeTile(res.body);
    expect(Object.keys(decoded)).toEqual(['sample-wards', 'sample-active-travel-routes', 'sample-schools']);
    const alone = decodeTile((await getTile(tilePath('sample-schools', t)).expect(200)).body);
    expect(decoded['sample-schools']).toEqual(alone['sample-schools']);
    expect(decoded['sample-wards']!.every((f) => f.type === 3)).toBe(true);
    expect(decoded['sample-active-travel-routes']!.every((f) => f.type === 2)).toBe(true);
  });

  it('has its own TileJSON and a MapLibre style that the style spec accepts', async () => {
    const tj = await request(ctx.t.app).get('/ogc/tiles/WebMercatorQuad?collections=sample-wards,sample-schools').expect(200);
    expect(tj.body.vector_layers.map((l: { id: string }) => l.id)).toEqual(['sample-wards', 'sample-schools']);
    expect(tj.body.tiles[0]).toMatch(/\/ogc\/tiles\/WebMercatorQuad\/\{z\}\/\{y\}\/\{x\}\?collections=sample-wards%2Csample-schools&v=\d+\.\d+$/);
    const style = await request(ctx.t.app).get('/ogc/styles/default?collections=sample-wards,sample-active-travel-routes,sample-schools').expect(200);
    expect(validateStyleMin(style.body)).toEqual([]);
    expect(style.body.layers.map((l: { type: string }) => l.type)).toEqual(['fill', 'line', 'line', 'circle']);
    const one = await request(ctx.t.app).get('/ogc/collections/sample-schools/styles/default').expect(200);
    expect(validateStyleMin(one.body)).toEqual([]);
  });

  it('refuses a missing or unknown collection list', async () => {
    await request(ctx.t.app).get('/ogc/tiles/WebMercatorQuad/3/0/0').expect(400);
    const res = await request(ctx.t.app).get('/ogc/tiles/WebMercatorQuad/3/0/0?collections=sample-schools,nope').expect(404);
    expect(res.body.detail).toContain('"nope"');
  });
});

describe('caching', () => {
  it('gives an ETag by version and tile, 304 on If-None-Match, and immutable caching for versioned URLs', async () => {
    const t = tileOf(-3.25, 52.0, 10);
    const path = tilePath('sample-schools', t);
    const first = await getTile(path).expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers['access-control-allow-origin']).toBe('*');
    await request(ctx.t.app).get(path).set('If-None-Match', first.headers.etag!).expect(304);
    const v = (await ctx.t.deps.published.get('sample-schools'))!.currentVersion!.id;
    const versioned = await getTile(`${path}?v=${v}`).expect(200);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(versioned.body.equals(first.body)).toBe(true);
  });

  it('gzips tiles for clients that accept it, under their own ETag, and sends them plain to others', async () => {
    const path = tilePath('sample-wards', tileOf(-3.25, 52.0, 9));
    const plain = await getTile(path).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    const zipped = await request(ctx.t.app).get(path).set('Accept-Encoding', 'gzip').buffer(true).parse(binary).expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    // superagent has unzipped it: the same tile, fewer bytes on the wire.
    expect(zipped.body.equals(plain.body)).toBe(true);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(plain.body.length);
    await request(ctx.t.app).get(path).set('Accept-Encoding', 'gzip').set('If-None-Match', zipped.headers.etag!).expect(304);
    await request(ctx.t.app).get(path).set('Accept-Encoding', 'gzip').set('If-None-Match', plain.headers.etag!).expect(200);
  });

  it('serves a newly published version at once, under a new ETag', async () => {
    const { token } = ctx.pub;
    const slug = await ctx.t.createLayer(token);
    await putData(ctx.t.app, slug, token, featureCollection([pointFeature('a', -3.2, 52.0, { n: 1 })])).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    const t = tileOf(-3.2, 52.0, 12);
    const before = await getTile(tilePath(slug, t)).expect(200);
    expect(decodeTile(before.body)[slug]!.map((f) => f.properties.n)).toEqual([1]);
    await putData(ctx.t.app, slug, token, featureCollection([pointFeature('b', -3.2, 52.0, { n: 2 }), pointFeature('c', -3.2001, 52.0, { n: 3 })])).expect(201);
    const after = await getTile(tilePath(slug, t)).set('If-None-Match', before.headers.etag!).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decodeTile(after.body)[slug]!.map((f) => f.properties.n).sort()).toEqual([2, 3]);
    // Rolling back is a version change too.
    await request(ctx.t.app).post(`/api/layers/${slug}/rollback`).set(bearer(token)).send({ version: 1 }).expect(200);
    const rolledBack = await getTile(tilePath(slug, t)).expect(200);
    expect(rolledBack.headers.etag).toBe(before.headers.etag);
    expect(decodeTile(rolledBack.body)[slug]!.map((f) => f.properties.n)).toEqual([1]);
  });
});

describe('properties in tiles', () => {
  it('keeps each value as its own JSON kind, including mixed kinds, odd names and names the tile table uses', async () => {
    const { token } = ctx.pub;
    const slug = await ctx.t.createLayer(token);
    const long = `a property name longer than sixty-three bytes, which PostgreSQL cannot name a column`;
    const features = [
      pointFeature(1, -3.2, 52.0, { mixed: 1, text: 'x', flag: true, ratio: 0.5, big: 9007199254740991, nested: { a: 1 }, [long]: 'kept', geom: 'g', mvt_id: 'm', 'quote"d': 'q', empty: null }),
      pointFeature(2, -3.2001, 52.0, { mixed: 'one', text: 'y', flag: false, ratio: 2, nested: [1, 2], [long]: 7 }),
      pointFeature('not-a-number', -3.2002, 52.0, { mixed: false }),
    ];
    await putData(ctx.t.app, slug, token, featureCollection(features)).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    const ready = await getTile(tilePath(slug, tileOf(-3.2, 52.0, 14))).expect(200);
    expect(ready.headers.etag).not.toMatch(/interim/);
    // Before its tile table is built a version's tiles come from the version table: the same features and properties.
    const layer = (await ctx.t.deps.published.get(slug)) as ServedLayer;
    const interim = await ctx.t.deps.tiles.tile([{ ...layer, currentVersion: { ...layer.currentVersion, tilesReady: false } }], tileOf(-3.2, 52.0, 14));
    const sorted = (body: Uint8Array) => decodeTile(body)[slug]!.sort((a, b) => a.id! - b.id!);
    expect(sorted(interim)).toEqual(sorted(ready.body));
    const drawn = decodeTile(ready.body)[slug]!;
    const byId = Object.fromEntries(drawn.map((f) => [featureIdOf(f), f.properties]));
    expect(byId['1']).toEqual({ mixed: 1, text: 'x', flag: true, ratio: 0.5, big: 9007199254740991, [long]: 'kept', geom: 'g', mvt_id: 'm', 'quote"d': 'q' });
    expect(byId['2']).toEqual({ mixed: 'one', text: 'y', flag: false, ratio: 2, [long]: 7 });
    expect(byId['not-a-number']).toEqual({ '@id': 'not-a-number', mixed: false });
    const item = await request(ctx.t.app).get(`/ogc/collections/${slug}/items/not-a-number`).expect(200);
    expect(item.body.properties).toEqual({ mixed: false });
  });
});

describe('big point layers at low zoom', () => {
  it('thins to one point per grid cell up to zoom 10 and draws every point from zoom 11', async () => {
    const { token } = ctx.pub;
    const slug = await ctx.t.createLayer(token);
    // 25,000 points on a 250 × 100 lattice, about 40 m apart, near Llandrindod.
    const lattice = (id: number): [number, number] => [-3.4 + ((id - 1) % 250) * 0.0006, 52.2 + Math.floor((id - 1) / 250) * 0.0004];
    const features = Array.from({ length: 25_000 }, (_, i) => pointFeature(i + 1, ...lattice(i + 1), { k: i % 7 }));
    await putData(ctx.t.app, slug, token, featureCollection(features)).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    const tj = await request(ctx.t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad`).expect(200);
    expect(tj.body.vector_layers[0].generalisation).toMatchObject({ method: ['point-grid-thinning', 'category-properties-only'], cellsPerTile: 64, lowZoomProperties: ['k'], fullDetailFromZoom: 11 });

    const counts: number[] = [];
    for (const z of [6, 8, 10, 11]) {
      const t = tileOf(-3.33, 52.22, z);
      const drawn = decodeTile((await getTile(tilePath(slug, t)).expect(200)).body)[slug]!;
      counts.push(drawn.length);
      // At most one point per cell of a 64 × 64 grid per tile, the cell found from the point's own lon/lat.
      const cells = new Set(drawn.map((f) => {
        const [lon, lat] = lattice(f.id!);
        const c = tileOf(lon, lat, z + 6);
        return `${c.x},${c.y}`;
      }));
      if (z <= 10) expect(cells.size).toBe(drawn.length);
      expect(drawn.every((f) => f.properties.k !== undefined)).toBe(true);
    }
    expect(counts[0]).toBeLessThan(counts[1]!);
    expect(counts[1]).toBeLessThan(counts[2]!);
    expect(counts[3]).toBeGreaterThan(counts[2]!);
    // Past zoom 10 every point the items API finds in the (buffered) tile is drawn.
    const t13 = tileOf(-3.33, 52.22, 13);
    const full = decodeTile((await getTile(tilePath(slug, t13)).expect(200)).body)[slug]!;
    expect(new Set(full.map(featureIdOf))).toEqual(await itemIds(slug, tileLonLatBounds(t13.z, t13.x, t13.y, 64 / 4096)));
  });
});

describe('big line layers at low zoom', () => {
  it('draws the longest line of each 16 × 16 cell up to zoom 10 and every line from zoom 11', async () => {
    const { token } = ctx.pub;
    const slug = await ctx.t.createLayer(token);
    // 20,000 short east-west lines on a 200 × 100 lattice near Llandrindod, five lengths in turn.
    const start = (id: number): [number, number] => [-3.4 + ((id - 1) % 200) * 0.0006, 52.2 + Math.floor((id - 1) / 200) * 0.0004];
    const length = (id: number) => 0.003 * (1 + (id % 5)); // 200 m to 1 km: a pixel or more from zoom 8
    const centre = (id: number): [number, number] => [start(id)[0] + length(id) / 2, start(id)[1]];
    const features = Array.from({ length: 20_000 }, (_, i) => {
      const [x, y] = start(i + 1);
      return { type: 'Feature', id: i + 1, properties: { k: i % 3 }, geometry: { type: 'LineString', coordinates: [[x, y], [x + length(i + 1), y]] } };
    });
    await putData(ctx.t.app, slug, token, featureCollection(features)).expect(201);
    await ctx.t.deps.tilePreparer.idle();
    const tj = await request(ctx.t.app).get(`/ogc/collections/${slug}/tiles/WebMercatorQuad`).expect(200);
    expect(tj.body.vector_layers[0].generalisation).toMatchObject({ method: ['line-grid-thinning', 'drop-sub-pixel', 'category-properties-only'], cellsPerTile: 16, fullDetailFromZoom: 11 });

    const cellOf = (id: number, z: number) => {
      const c = tileOf(...centre(id), z + 4);
      return `${c.x},${c.y}`;
    };
    const counts: number[] = [];
    for (const z of [8, 10, 11]) {
      const t = tileOf(-3.35, 52.21, z);
      const drawn = decodeTile((await getTile(tilePath(slug, t)).expect(200)).body)[slug]!;
      counts.push(drawn.length);
      if (z > 10) continue;
      // One line per cell, and it is the longest of the lines whose centre lies in that cell.
      expect(new Set(drawn.map((f) => cellOf(f.id!, z))).size).toBe(drawn.length);
      const longest = new Map<string, number>();
      for (let id = 1; id <= 20_000; id++) longest.set(cellOf(id, z), Math.max(longest.get(cellOf(id, z)) ?? 0, length(id)));
      for (const f of drawn) expect(length(f.id!)).toBe(longest.get(cellOf(f.id!, z)));
    }
    expect(counts[0]).toBeLessThan(counts[1]!);
    expect(counts[1]).toBeLessThan(counts[2]!);
    // Past zoom 10 every line the items API finds in the (buffered) tile is drawn.
    const t12 = tileOf(-3.35, 52.21, 12);
    const full = decodeTile((await getTile(tilePath(slug, t12)).expect(200)).body)[slug]!;
    expect(new Set(full.map(featureIdOf))).toEqual(await itemIds(slug, tileLonLatBounds(t12.z, t12.x, t12.y, 64 / 4096)));
  }, 120_000);
});
