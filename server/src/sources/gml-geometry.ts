import type { Geometry, Position } from 'geojson';
import { crsFromSrsName, type GmlCrs, type GmlCrsOptions } from './gml-crs';
import { SourceResponseError } from './remote-source';
import { attr, childElements, childrenNamed, firstChild, isNode, localName, textOf, type XmlNode } from './xml-node';

/** Where a geometry is read: the CRS and srsDimension its ancestors declared. */
interface Ctx {
  crs: GmlCrs | undefined;
  dimension: number | undefined;
  o: GmlCrsOptions;
  /** The first srsName met anywhere in the geometry, for members that carry one when their parent does not. */
  seen: { crs?: GmlCrs };
}

type Polygon = Position[][];
type Reader = (node: XmlNode, ctx: Ctx) => Geometry;

const fail = (message: string): never => {
  throw new SourceResponseError(`The service sent GML Haenau cannot read: ${message}`);
};

const asNode = (v: unknown): XmlNode => (isNode(v) ? v : { '#text': textOf(v) });

/** The context inside a geometry element: its own srsName and srsDimension win over inherited ones. */
function enter(node: XmlNode, ctx: Ctx): Ctx {
  const srsName = attr(node, 'srsName');
  const dim = attr(node, 'srsDimension');
  let crs = ctx.crs;
  if (srsName !== undefined) {
    crs = crsFromSrsName(srsName, ctx.o);
    const other = ctx.seen.crs;
    if (other && other.srid !== crs.srid) fail(`one geometry mixes EPSG:${other.srid} and EPSG:${crs.srid}.`);
    ctx.seen.crs ??= crs;
  }
  return { ...ctx, crs, dimension: dim !== undefined ? Number(dim) : ctx.dimension };
}

function numbers(text: string, what: string): number[] {
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  return tokens.map((t) => {
    const n = Number(t);
    return Number.isFinite(n) ? n : fail(`${JSON.stringify(t.slice(0, 40))} in a ${what} is not a number.`);
  });
}

/** x/y(/z) in the CRS's east/north order; values past the third (measures) are dropped. */
function position(values: number[], ctx: Ctx): Position {
  if (values.length < 2) fail(`a position has ${values.length} value(s); it needs at least 2.`);
  const [a = 0, b = 0, z] = values;
  const xy = ctx.crs?.swapAxes ? [b, a] : [a, b];
  return z === undefined ? xy : [...xy, z];
}

function fromPosList(node: unknown, ctx: Ctx): Position[] {
  const values = numbers(textOf(node), 'posList');
  const dim = Number(attr(node, 'srsDimension') ?? ctx.dimension ?? ctx.crs?.dimension ?? 2);
  if (dim !== 2 && dim !== 3) fail(`srsDimension ${dim} is not 2 or 3.`);
  if (values.length % dim !== 0) fail(`a posList of ${values.length} values does not divide into ${dim}D positions.`);
  const out: Position[] = [];
  for (let i = 0; i < values.length; i += dim) out.push(position(values.slice(i, i + dim), ctx));
  return out;
}

/**
 * GML 2 <coordinates>, with its cs (between values), ts (between tuples) and decimal attributes. The parser
 * trims attribute values, so a whitespace separator arrives as "".
 */
function fromCoordinates(node: unknown, ctx: Ctx): Position[] {
  const separator = (s: string) => (s.trim() === '' ? /\s+/ : s);
  const cs = separator(attr(node, 'cs') ?? ',');
  const ts = separator(attr(node, 'ts') ?? ' ');
  const decimal = attr(node, 'decimal') ?? '.';
  const text = textOf(node).trim();
  if (text === '') return [];
  return text
    .split(ts)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const values = t.split(cs).map((v) => (decimal === '.' ? v : v.split(decimal).join('.')));
      return position(numbers(values.join(' '), 'coordinates'), ctx);
    });
}

/** GML 2 <coord><X/><Y/><Z/></coord>. */
const fromCoord = (node: unknown, ctx: Ctx): Position =>
  position(['X', 'Y', 'Z'].flatMap((axis) => childrenNamed(node, axis).map((v) => numbers(textOf(v), 'coord')[0] ?? fail(`an empty ${axis} in a coord.`))), ctx);

/** The positions of a point, line or ring, in whichever encoding the server chose. */
function positions(node: XmlNode, ctx: Ctx): Position[] {
  const posList = firstChild(node, 'posList');
  if (posList !== undefined) return fromPosList(posList, ctx);
  const coordinates = firstChild(node, 'coordinates');
  if (coordinates !== undefined) return fromCoordinates(coordinates, ctx);
  const pos = childrenNamed(node, 'pos');
  if (pos.length > 0) return pos.map((p) => position(numbers(textOf(p), 'pos'), ctx));
  const coord = childrenNamed(node, 'coord');
  if (coord.length > 0) return coord.map((c) => fromCoord(c, ctx));
  const points = [...childrenNamed(node, 'pointProperty'), ...childrenNamed(node, 'pointRep')].flatMap((p) => childrenNamed(p, 'Point'));
  return points.map((p) => point(asNode(p), enter(asNode(p), ctx)));
}

function point(node: XmlNode, ctx: Ctx): Position {
  const [p, extra] = positions(node, ctx);
  if (p === undefined || extra !== undefined) fail('a Point does not have exactly one position.');
  return p as Position;
}

/** Joins line parts end to start, dropping the repeated joint. */
function join(parts: Position[][]): Position[] {
  const out: Position[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    const first = part[0];
    const shared = last !== undefined && first !== undefined && last.every((v, i) => v === first[i]);
    out.push(...(shared ? part.slice(1) : part));
  }
  return out;
}

/** A curve's positions: LineString, LinearRing, Curve of LineStringSegments, CompositeCurve, Ring. */
function line(qName: string, node: XmlNode, outer: Ctx): Position[] {
  const ctx = enter(node, outer);
  switch (localName(qName)) {
    case 'LineString':
    case 'LinearRing':
    case 'LineStringSegment':
      return positions(node, ctx);
    case 'Curve':
      return join(childElements(firstChild(node, 'segments')).map(([name, seg]) => segment(name, asNode(seg), ctx)));
    case 'CompositeCurve':
    case 'Ring':
      return join(childrenNamed(node, 'curveMember').flatMap((m) => childElements(m).map(([name, c]) => line(name, asNode(c), ctx))));
    default:
      return fail(`gml:${localName(qName)} is not a curve Haenau reads.`);
  }
}

function segment(qName: string, node: XmlNode, ctx: Ctx): Position[] {
  if (localName(qName) !== 'LineStringSegment') fail(`curved segments (gml:${localName(qName)}) are not supported; ask the publisher for linearised geometry.`);
  return line(qName, node, ctx);
}

function ring(container: unknown, ctx: Ctx): Position[] {
  const [entry] = childElements(container);
  return entry ? line(entry[0], asNode(entry[1]), ctx) : fail('a polygon boundary has no ring.');
}

/** GML 3 exterior/interior or GML 2 outerBoundaryIs/innerBoundaryIs. */
function polygon(node: XmlNode, outer: Ctx): Polygon {
  const ctx = enter(node, outer);
  const exterior = firstChild(node, 'exterior') ?? firstChild(node, 'outerBoundaryIs');
  if (exterior === undefined) return [];
  const interiors = [...childrenNamed(node, 'interior'), ...childrenNamed(node, 'innerBoundaryIs')];
  return [ring(exterior, ctx), ...interiors.map((i) => ring(i, ctx))];
}

/** The polygons of a surface: Polygon, Surface (one per patch) or CompositeSurface. */
function surfaces(qName: string, node: XmlNode, outer: Ctx): Polygon[] {
  const ctx = enter(node, outer);
  switch (localName(qName)) {
    case 'Polygon':
      return [polygon(node, ctx)];
    case 'Surface':
      return childElements(firstChild(node, 'patches')).map(([name, patch]) =>
        ['PolygonPatch', 'Rectangle', 'Triangle'].includes(localName(name)) ? polygon(asNode(patch), ctx) : fail(`surface patches of type gml:${localName(name)} are not supported.`),
      );
    case 'CompositeSurface':
      return members(node, ['surfaceMember']).flatMap(([name, s]) => surfaces(name, s, ctx));
    default:
      return fail(`gml:${localName(qName)} is not a surface Haenau reads.`);
  }
}

/** The geometries inside member properties: singular (pointMember) and plural (pointMembers) alike. */
function members(node: XmlNode, names: string[]): Array<[string, XmlNode]> {
  return names.flatMap((n) => childrenNamed(node, n).flatMap((m) => childElements(m).map(([name, g]): [string, XmlNode] => [name, asNode(g)])));
}

const multiSurface: Reader = (node, ctx) => ({
  type: 'MultiPolygon',
  coordinates: members(node, ['surfaceMember', 'surfaceMembers', 'polygonMember']).flatMap(([n, s]) => surfaces(n, s, ctx)),
});
const multiCurve: Reader = (node, ctx) => ({
  type: 'MultiLineString',
  coordinates: members(node, ['curveMember', 'curveMembers', 'lineStringMember']).map(([n, c]) => line(n, c, ctx)),
});
const oneOrMany: Reader = (node, ctx) => {
  const polygons = surfaces('Surface', node, ctx);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] ?? [] } : { type: 'MultiPolygon', coordinates: polygons };
};

/** GeoJSON from each GML geometry element Haenau reads, by local name. */
const READERS: Record<string, Reader> = {
  Point: (node, ctx) => ({ type: 'Point', coordinates: point(node, ctx) }),
  LineString: (node, ctx) => ({ type: 'LineString', coordinates: line('LineString', node, ctx) }),
  // A bare ring is a closed line, as GDAL reads it.
  LinearRing: (node, ctx) => ({ type: 'LineString', coordinates: line('LinearRing', node, ctx) }),
  Curve: (node, ctx) => ({ type: 'LineString', coordinates: line('Curve', node, ctx) }),
  CompositeCurve: (node, ctx) => ({ type: 'LineString', coordinates: line('CompositeCurve', node, ctx) }),
  Polygon: (node, ctx) => ({ type: 'Polygon', coordinates: polygon(node, ctx) }),
  Surface: oneOrMany,
  CompositeSurface: (node, ctx) => ({ type: 'MultiPolygon', coordinates: surfaces('CompositeSurface', node, ctx) }),
  MultiPoint: (node, ctx) => ({
    type: 'MultiPoint',
    coordinates: members(node, ['pointMember', 'pointMembers']).map(([, p]) => point(p, enter(p, ctx))),
  }),
  MultiLineString: multiCurve,
  MultiCurve: multiCurve,
  MultiPolygon: multiSurface,
  MultiSurface: multiSurface,
  // geometryMember order is kept; inside one geometryMembers the parser groups children by type (all Points, then …).
  MultiGeometry: (node, ctx) => ({
    type: 'GeometryCollection',
    geometries: members(node, ['geometryMember', 'geometryMembers']).map(([n, g]) => readGeometry(n, g, ctx)),
  }),
};

export const isGmlGeometryName = (qName: string): boolean => Object.hasOwn(READERS, localName(qName));

function readGeometry(qName: string, node: XmlNode, outer: Ctx): Geometry {
  const reader = READERS[localName(qName)];
  if (!reader) return fail(`gml:${localName(qName)} is not a geometry type Haenau reads.`);
  const ctx = enter(node, outer);
  return reader(node, ctx);
}

/**
 * A GML geometry element → GeoJSON in x/y (east/north, lon/lat) order, plus the CRS it was in: its own
 * srsName, else `inherited` (from the feature's or collection's boundedBy, or the caller's default).
 */
export function readGmlGeometry(qName: string, node: unknown, inherited: GmlCrs | undefined, o: GmlCrsOptions = {}): { geometry: Geometry; crs: GmlCrs | undefined } {
  const element = asNode(node);
  const seen: Ctx['seen'] = {};
  const geometry = readGeometry(qName, element, { crs: attr(element, 'srsName') === undefined ? inherited : undefined, dimension: undefined, o, seen });
  return { geometry, crs: seen.crs ?? inherited };
}
