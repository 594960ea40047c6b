/**
 * A quick structural test of a GeoJSON geometry: true only when geojson-validation would find
 * nothing wrong with it (checked against it in well-formed-geometry.test.ts). It is stricter where
 * that is simpler (a bbox member, NaN in a ring's closing position): then the checker asks
 * geojson-validation, whose messages it reports. Most features pass here, without the library's
 * error arrays and closures for every position (a fifth of a GML harvest's checking time).
 */
export function isWellFormedGeometry(g: unknown): boolean {
  if (typeof g !== 'object' || g === null || Array.isArray(g) || 'bbox' in g) return false;
  const o = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  switch (o.type) {
    case 'Point':
      return isPosition(o.coordinates);
    case 'MultiPoint':
      return isPositions(o.coordinates, 0);
    case 'LineString':
      return isPositions(o.coordinates, 2);
    case 'MultiLineString':
      return everyOf(o.coordinates, (line) => isPositions(line, 2));
    case 'Polygon':
      return everyOf(o.coordinates, isRing);
    case 'MultiPolygon':
      return everyOf(o.coordinates, (polygon) => everyOf(polygon, isRing));
    case 'GeometryCollection':
      return everyOf(o.geometries, isWellFormedGeometry);
    default:
      return false;
  }
}

function isPosition(p: unknown): boolean {
  if (!Array.isArray(p) || p.length < 2) return false;
  for (let i = 0; i < p.length; i++) if (typeof p[i] !== 'number') return false;
  return true;
}

function isPositions(ps: unknown, atLeast: number): boolean {
  if (!Array.isArray(ps) || ps.length < atLeast) return false;
  for (let i = 0; i < ps.length; i++) if (!isPosition(ps[i])) return false;
  return true;
}

/** Four or more positions, the last the same as the first. */
function isRing(ring: unknown): boolean {
  if (!isPositions(ring, 4)) return false;
  const ps = ring as number[][];
  const first = ps[0]!;
  const last = ps[ps.length - 1]!;
  if (first.length !== last.length) return false;
  for (let i = 0; i < first.length; i++) if (first[i] !== last[i]) return false;
  return true;
}

function everyOf(items: unknown, test: (item: unknown) => boolean): boolean {
  if (!Array.isArray(items)) return false;
  for (let i = 0; i < items.length; i++) if (!test(items[i])) return false;
  return true;
}
