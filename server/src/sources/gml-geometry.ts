import type { Geometry, Position } from 'geojson';
import type { GmlCrs, GmlCrsOptions } from './gml-crs';
import { type Ctx, enter, fail, point, positions } from './gml-positions';
import { type GmlScanner, START } from './gml-scanner';

// Every reader is called with the scanner just inside the element it reads (after step() returned START)
// and the context outside it; it enters the element's own srsName/srsDimension and consumes it whole.

type Polygon = Position[][];
type Reader = (s: GmlScanner, outer: Ctx) => Geometry;

/** Joins line parts end to start, dropping the repeated joint. */
function join(parts: Position[][]): Position[] {
  if (parts.length === 1) return parts[0]!;
  const out: Position[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    const first = part[0];
    const shared = last !== undefined && first !== undefined && last.every((v, i) => v === first[i]);
    out.push(...(shared ? part.slice(1) : part));
  }
  return out;
}

/** Calls `read` on each geometry inside the current element's member properties named in `names` (singular and plural alike). */
function eachMember(s: GmlScanner, names: ReadonlySet<string>, read: () => void): void {
  while (s.step() === START) {
    if (!names.has(s.local)) s.skip();
    else while (s.step() === START) read();
  }
}

/** A curve's positions: LineString, LinearRing, Curve of LineStringSegments, CompositeCurve, Ring. */
function line(s: GmlScanner, outer: Ctx): Position[] {
  const ctx = enter(s, outer);
  const parts: Position[][] = [];
  const kind = s.local;
  switch (kind) {
    case 'LineString':
    case 'LinearRing':
    case 'LineStringSegment':
      return positions(s, ctx);
    case 'Curve': {
      let segments = false;
      while (s.step() === START) {
        if (s.local !== 'segments' || segments) s.skip();
        else {
          segments = true;
          while (s.step() === START) parts.push(segment(s, ctx));
        }
      }
      return join(parts);
    }
    case 'CompositeCurve':
    case 'Ring':
      eachMember(s, CURVE_MEMBER, () => parts.push(line(s, ctx)));
      return join(parts);
    default:
      return fail(`gml:${s.local} is not a curve Haenau reads.`);
  }
}
const CURVE_MEMBER = new Set(['curveMember']);

function segment(s: GmlScanner, ctx: Ctx): Position[] {
  if (s.local !== 'LineStringSegment') fail(`curved segments (gml:${s.local}) are not supported; ask the publisher for linearised geometry.`);
  return line(s, ctx);
}

/** A polygon boundary (exterior, interior …): the ring it holds. */
function ring(s: GmlScanner, ctx: Ctx): Position[] {
  let found: Position[] | undefined;
  while (s.step() === START) {
    if (found) s.skip();
    else found = line(s, ctx);
  }
  return found ?? fail('a polygon boundary has no ring.');
}

/** GML 3 exterior/interior or GML 2 outerBoundaryIs/innerBoundaryIs. */
function polygon(s: GmlScanner, outer: Ctx): Polygon {
  const ctx = enter(s, outer);
  let exterior: Position[] | undefined;
  let outerBoundary: Position[] | undefined;
  const interiors: Position[][] = [];
  const inner: Position[][] = [];
  while (s.step() === START) {
    switch (s.local) {
      case 'exterior':
        if (exterior) s.skip();
        else exterior = ring(s, ctx);
        break;
      case 'outerBoundaryIs':
        if (outerBoundary) s.skip();
        else outerBoundary = ring(s, ctx);
        break;
      case 'interior':
        interiors.push(ring(s, ctx));
        break;
      case 'innerBoundaryIs':
        inner.push(ring(s, ctx));
        break;
      default:
        s.skip();
    }
  }
  const shell = exterior ?? outerBoundary;
  return shell ? [shell, ...interiors, ...inner] : [];
}

const PATCHES = new Set(['PolygonPatch', 'Rectangle', 'Triangle']);
const SURFACE_MEMBER = new Set(['surfaceMember']);

/** The polygons of a surface: Polygon, Surface (one per patch) or CompositeSurface. */
function surfaces(s: GmlScanner, outer: Ctx): Polygon[] {
  const out: Polygon[] = [];
  const kind = s.local;
  switch (kind) {
    case 'Polygon':
      return [polygon(s, outer)];
    case 'Surface': {
      const ctx = enter(s, outer);
      let patches = false;
      while (s.step() === START) {
        if (s.local !== 'patches' || patches) s.skip();
        else {
          patches = true;
          while (s.step() === START) out.push(PATCHES.has(s.local) ? polygon(s, ctx) : fail(`surface patches of type gml:${s.local} are not supported.`));
        }
      }
      return out;
    }
    case 'CompositeSurface': {
      const ctx = enter(s, outer);
      eachMember(s, SURFACE_MEMBER, () => out.push(...surfaces(s, ctx)));
      return out;
    }
    default:
      return fail(`gml:${s.local} is not a surface Haenau reads.`);
  }
}

const POINT_MEMBERS = new Set(['pointMember', 'pointMembers']);
const CURVE_MEMBERS = new Set(['curveMember', 'curveMembers', 'lineStringMember']);
const SURFACE_MEMBERS = new Set(['surfaceMember', 'surfaceMembers', 'polygonMember']);
const GEOMETRY_MEMBERS = new Set(['geometryMember', 'geometryMembers']);

const multiSurface: Reader = (s, outer) => {
  const ctx = enter(s, outer);
  const coordinates: Polygon[] = [];
  eachMember(s, SURFACE_MEMBERS, () => coordinates.push(...surfaces(s, ctx)));
  return { type: 'MultiPolygon', coordinates };
};
const multiCurve: Reader = (s, outer) => {
  const ctx = enter(s, outer);
  const coordinates: Position[][] = [];
  eachMember(s, CURVE_MEMBERS, () => coordinates.push(line(s, ctx)));
  return { type: 'MultiLineString', coordinates };
};
const asLine: Reader = (s, outer) => ({ type: 'LineString', coordinates: line(s, outer) });

/** GeoJSON from each GML geometry element Haenau reads, by local name. Members are kept in document order. */
const READERS = new Map<string, Reader>([
  ['Point', (s, outer) => ({ type: 'Point', coordinates: point(s, enter(s, outer)) })],
  ['LineString', asLine],
  // A bare ring is a closed line, as GDAL reads it.
  ['LinearRing', asLine],
  ['Curve', asLine],
  ['CompositeCurve', asLine],
  ['Polygon', (s, outer) => ({ type: 'Polygon', coordinates: polygon(s, outer) })],
  [
    'Surface',
    (s, outer) => {
      const polygons = surfaces(s, outer);
      return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
    },
  ],
  ['CompositeSurface', (s, outer) => ({ type: 'MultiPolygon', coordinates: surfaces(s, outer) })],
  [
    'MultiPoint',
    (s, outer) => {
      const ctx = enter(s, outer);
      const coordinates: Position[] = [];
      eachMember(s, POINT_MEMBERS, () => coordinates.push(point(s, enter(s, ctx))));
      return { type: 'MultiPoint', coordinates };
    },
  ],
  ['MultiLineString', multiCurve],
  ['MultiCurve', multiCurve],
  ['MultiPolygon', multiSurface],
  ['MultiSurface', multiSurface],
  [
    'MultiGeometry',
    (s, outer) => {
      const ctx = enter(s, outer);
      const geometries: Geometry[] = [];
      eachMember(s, GEOMETRY_MEMBERS, () => geometries.push(readGeometry(s, ctx)));
      return { type: 'GeometryCollection', geometries };
    },
  ],
]);

/** Whether an element's local name is a GML geometry Haenau reads. */
export const isGmlGeometryName = (local: string): boolean => READERS.has(local);

function readGeometry(s: GmlScanner, outer: Ctx): Geometry {
  const reader = READERS.get(s.local);
  return reader ? reader(s, outer) : fail(`gml:${s.local} is not a geometry type Haenau reads.`);
}

/**
 * The GML geometry element the scanner just entered → GeoJSON in x/y (east/north, lon/lat) order, plus the
 * CRS it was in: its own srsName, else `inherited` (from the feature's or collection's boundedBy, or the
 * caller's default). Consumes the element. `crsCache` is shared across a page.
 */
export function readGmlGeometry(
  s: GmlScanner,
  inherited: GmlCrs | undefined,
  o: GmlCrsOptions = {},
  crsCache = new Map<string, GmlCrs>(),
): { geometry: Geometry; crs: GmlCrs | undefined } {
  const seen: Ctx['seen'] = {};
  const geometry = readGeometry(s, { crs: s.attr('srsName') === undefined ? inherited : undefined, dimension: undefined, o, seen, crsCache });
  return { geometry, crs: seen.crs ?? inherited };
}
