import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { featuresWithin } from '../web/src/near-geometry';
import { useTestApp } from './helpers/test-app';

const ctx = useTestApp({ seed: true });

const near = (query: Record<string, string | number>) => request(ctx.t.app).get('/api/near').query(query);

async function all(slug: string): Promise<GeoJSON.Feature[]> {
  const res = await request(ctx.t.app).get(`/ogc/collections/${slug}/items`).query({ limit: 1000 }).expect(200);
  return res.body.features;
}

/** Ids found by both, leaving out those within 1% of the distance (sphere against spheroid). */
function agreed(server: { id: string | number; distance: number }[], turf: { id?: string | number; distance: number }[], metres: number) {
  const edge = (d: number) => Math.abs(d - metres) <= metres / 100;
  const clear = (list: { id?: string | number; distance: number }[]) => list.filter((f) => !edge(f.distance)).map((f) => String(f.id)).sort();
  return { server: clear(server), turf: clear(turf) };
}

describe('GET /api/near', () => {
  it('finds the schools within a distance of a route, nearest first, as Turf does in the browser', async () => {
    const routes = await all('sample-active-travel-routes');
    const schools = await all('sample-schools');
    let compared = 0;
    for (const route of routes.slice(0, 8)) {
      const res = await near({ from: `sample-active-travel-routes/${route.id}`, distance: 1000, collections: 'sample-schools', limit: 1000 }).expect(200);
      const found = res.body.collections[0];
      expect(found.id).toBe('sample-schools');
      expect(found.complete).toBe(true);
      const distances = found.features.map((f: { distance: number }) => f.distance);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      const { server, turf } = agreed(found.features, featuresWithin(route.geometry!, schools, 1000), 1000);
      expect(server).toEqual(turf);
      compared += server.length;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('measures from a point, across several layers, and says when it stopped at the limit', async () => {
    const res = await near({ from: 'point:-3.35,52.1', distance: 5000, collections: 'sample-schools,sample-wards', limit: 2 }).expect(200);
    expect(res.body.from).toEqual({ point: [-3.35, 52.1] });
    expect(res.body.collections.map((c: { id: string }) => c.id)).toEqual(['sample-schools', 'sample-wards']);
    const wards = res.body.collections[1];
    // The point lies inside a ward: distance 0.
    expect(wards.features[0].distance).toBe(0);
    expect(wards.numberReturned).toBeLessThanOrEqual(2);
    const unlimited = await near({ from: 'point:-3.35,52.1', distance: 5000, collections: 'sample-wards', limit: 1000 }).expect(200);
    expect(wards.complete).toBe(unlimited.body.collections[0].numberReturned <= 2);
  });

  it('refuses what it cannot answer with problem+json naming the parameter', async () => {
    const cases: [Record<string, string | number>, number, string][] = [
      [{ distance: 100, collections: 'sample-schools' }, 400, 'from'],
      [{ from: 'point:200,52', collections: 'sample-schools' }, 400, 'from'],
      [{ from: 'nonsense', collections: 'sample-schools' }, 400, 'from'],
      [{ from: 'point:-3,52', distance: 50_000, collections: 'sample-schools' }, 400, 'distance'],
      [{ from: 'point:-3,52' }, 400, 'collections'],
      [{ from: "sample-schools/'; DROP TABLE layers; --", collections: 'sample-wards' }, 404, 'no feature'],
      [{ from: 'point:-3,52', collections: 'no-such-layer' }, 404, 'no-such-layer'],
    ];
    for (const [query, status, mentions] of cases) {
      const res = await near(query).expect(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(mentions);
    }
    await request(ctx.t.app).get('/api/layers/sample-schools').expect(200);
  });
});
