import { booleanIntersects, distance, pointToLineDistance } from '@turf/turf';
import type { Feature, Geometry, LineString, Position } from 'geojson';
import { positions } from './geometry';

/** Every segment chain of a geometry (a polygon's rings are its edges). */
function lines(g: Geometry): LineString[] {
  const ls = (coordinates: Position[]): LineString => ({ type: 'LineString', coordinates });
  if (g.type === 'LineString') return [g];
  if (g.type === 'MultiLineString' || g.type === 'Polygon') return g.coordinates.map(ls);
  if (g.type === 'MultiPolygon') return g.coordinates.flat().map(ls);
  if (g.type === 'GeometryCollection') return g.geometries.flatMap(lines);
  return [];
}

/**
 * Shortest distance in metres between two geometries: 0 when they meet, else the least distance
 * from any vertex of one to the other's points or edges (great-circle, as Turf measures).
 */
export function geometryDistance(a: Geometry, b: Geometry): number {
  if (booleanIntersects(a, b)) return 0;
  let best = Infinity;
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const edges = lines(to);
    const points = edges.length ? [] : positions(to);
    for (const p of positions(from)) {
      for (const e of edges) if (e.coordinates.length > 1) best = Math.min(best, pointToLineDistance(p, e, { units: 'meters' }));
      for (const q of points) best = Math.min(best, distance(p, q, { units: 'meters' }));
    }
  }
  return best;
}

/** The features within `metres` of `origin`, nearest first, each with its distance. */
export function featuresWithin(origin: Geometry, candidates: Feature[], metres: number): (Feature & { distance: number })[] {
  return candidates
    .filter((f) => f.geometry)
    .map((f) => ({ ...f, distance: geometryDistance(origin, f.geometry!) }))
    .filter((f) => f.distance <= metres)
    .sort((x, y) => x.distance - y.distance);
}
