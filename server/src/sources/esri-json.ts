import type { Feature, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { SourceResponseError } from './remote-source';

/** An Esri JSON geometry as an ArcGIS query (f=json) returns it (GeoServices REST specification). */
export interface EsriGeometry {
  x?: number | string | null;
  y?: number | string | null;
  z?: number | null;
  points?: number[][];
  paths?: number[][][];
  rings?: number[][][];
  xmin?: number;
  ymin?: number;
  xmax?: number;
  ymax?: number;
  curvePaths?: unknown[];
  curveRings?: unknown[];
  hasZ?: boolean;
  hasM?: boolean;
}

export interface EsriField {
  name: string;
  type: string;
  alias?: string;
}

export interface EsriFeature {
  attributes?: Record<string, unknown> | null;
  geometry?: EsriGeometry | null;
}

export interface EsriConversion {
  /** The attribute that identifies a feature (objectIdFieldName); its value becomes the GeoJSON id. */
  objectIdField?: string;
  /** Fields of type esriFieldTypeDate, whose epoch-millisecond values become ISO 8601 strings. */
  dateFields?: ReadonlySet<string>;
  /** The feature set's hasZ / hasM: whether a vertex's third number is z or m. */
  hasZ?: boolean;
  hasM?: boolean;
}

/** Names of the fields whose values ArcGIS sends as epoch milliseconds. */
export function dateFieldNames(fields: readonly EsriField[] | undefined): Set<string> {
  return new Set((fields ?? []).filter((f) => f.type === 'esriFieldTypeDate').map((f) => f.name));
}

/** Attributes with date fields as ISO 8601 strings; other values as sent. */
export function withIsoDates(attributes: Record<string, unknown>, dateFields: ReadonlySet<string> | undefined): Record<string, unknown> {
  if (!dateFields || dateFields.size === 0) return { ...attributes };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const date = dateFields.has(name) && typeof value === 'number' ? new Date(value) : undefined;
    out[name] = date && !Number.isNaN(date.getTime()) ? date.toISOString() : value;
  }
  return out;
}

export function esriFeatureToGeoJson(feature: EsriFeature, options: EsriConversion = {}): Feature {
  const properties = withIsoDates(feature.attributes ?? {}, options.dateFields);
  const id = options.objectIdField === undefined ? undefined : properties[options.objectIdField];
  return {
    type: 'Feature',
    ...(typeof id === 'number' || typeof id === 'string' ? { id } : {}),
    geometry: feature.geometry ? esriGeometryToGeoJson(feature.geometry, options) : null,
    properties,
  } as Feature;
}

/** An Esri JSON geometry as GeoJSON (RFC 7946 winding); null for an empty geometry. */
export function esriGeometryToGeoJson(geometry: EsriGeometry, options: Pick<EsriConversion, 'hasZ' | 'hasM'> = {}): Geometry | null {
  if (geometry.curvePaths || geometry.curveRings) {
    throw new SourceResponseError(
      'The service sent true curves (curvePaths/curveRings), which Haenau cannot read. Ask the publisher to enable GeoJSON output (f=geojson) on the layer or to densify its curves.',
    );
  }
  const position = positionReader({ hasZ: geometry.hasZ ?? options.hasZ, hasM: geometry.hasM ?? options.hasM });
  if ('x' in geometry) return point(geometry);
  if (geometry.points) {
    const coordinates = geometry.points.map(position);
    return coordinates.length === 0 ? null : ({ type: 'MultiPoint', coordinates } satisfies MultiPoint);
  }
  if (geometry.paths) return lines(geometry.paths.map((path) => path.map(position)).filter((path) => path.length >= 2));
  if (geometry.rings) return polygons(geometry.rings.map((ring) => ring.map(position)));
  if ('xmin' in geometry) return envelope(geometry);
  if (Object.keys(geometry).filter((key) => key !== 'spatialReference').length === 0) return null;
  throw new SourceResponseError(`The service sent a geometry Haenau does not recognise (with ${Object.keys(geometry).join(', ')}).`);
}

/** Reads a vertex: [x, y], [x, y, z], [x, y, m] or [x, y, z, m]; m is dropped. */
function positionReader({ hasZ, hasM }: { hasZ?: boolean; hasM?: boolean }): (vertex: number[]) => Position {
  const thirdIsM = hasM === true && hasZ !== true;
  return (vertex) => {
    const [x, y, z] = vertex;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new SourceResponseError(`The service sent a vertex that is not a pair of numbers: ${JSON.stringify(vertex)}.`);
    return !thirdIsM && typeof z === 'number' && Number.isFinite(z) ? [x!, y!, z] : [x!, y!];
  };
}

function point(geometry: EsriGeometry): Point | null {
  // ArcGIS writes an empty point as {"x": null} or {"x": "NaN"}.
  const x = geometry.x === null ? NaN : Number(geometry.x);
  const y = geometry.y === null ? NaN : Number(geometry.y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  const z = geometry.z;
  return { type: 'Point', coordinates: typeof z === 'number' && Number.isFinite(z) ? [x, y, z] : [x, y] };
}

function lines(paths: Position[][]): LineString | MultiLineString | null {
  if (paths.length === 0) return null;
  return paths.length === 1 ? { type: 'LineString', coordinates: paths[0]! } : { type: 'MultiLineString', coordinates: paths };
}

function envelope({ xmin, ymin, xmax, ymax }: EsriGeometry): Polygon | null {
  if (![xmin, ymin, xmax, ymax].every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const [x0, y0, x1, y1] = [xmin!, ymin!, xmax!, ymax!];
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
}

interface Ring {
  coordinates: Position[];
  /** Absolute area, to pick the innermost outer ring that contains a hole. */
  area: number;
  bbox: [number, number, number, number];
}

/**
 * Esri rings come as one flat list: clockwise rings are outer boundaries, anticlockwise ones holes,
 * in any order. Each hole joins the smallest outer ring that contains it; output winding is RFC 7946's.
 */
function polygons(rawRings: Position[][]): Polygon | MultiPolygon | null {
  const outers: Ring[] = [];
  const holes: Ring[] = [];
  for (const raw of rawRings) {
    const coordinates = closed(raw);
    if (coordinates.length < 4) continue;
    const signed = signedArea(coordinates);
    if (signed === 0) continue;
    // With y pointing north, a clockwise ring has a negative signed area.
    (signed < 0 ? outers : holes).push({ coordinates, area: Math.abs(signed), bbox: ringBbox(coordinates) });
  }
  const parts = outers.map((outer) => ({ outer, holes: [] as Ring[] }));
  for (const hole of holes) {
    const owner = parts.filter((p) => contains(p.outer, hole)).sort((a, b) => a.outer.area - b.outer.area)[0];
    // An anticlockwise ring inside no outer ring is an island wound the wrong way; ArcGIS clients draw it, so do we.
    if (owner) owner.holes.push(hole);
    else parts.push({ outer: hole, holes: [] });
  }
  const coordinates = parts.map((p) => [wound(p.outer.coordinates, true), ...p.holes.map((h) => wound(h.coordinates, false))]);
  if (coordinates.length === 0) return null;
  return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0]! } : { type: 'MultiPolygon', coordinates };
}

function closed(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last || (first[0] === last[0] && first[1] === last[1])) return ring;
  return [...ring, first];
}

/** Shoelace area of a closed ring; positive when anticlockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}

function wound(ring: Position[], anticlockwise: boolean): Position[] {
  return signedArea(ring) > 0 === anticlockwise ? ring : [...ring].reverse();
}

function ringBbox(ring: Position[]): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    box[0] = Math.min(box[0], x!);
    box[1] = Math.min(box[1], y!);
    box[2] = Math.max(box[2], x!);
    box[3] = Math.max(box[3], y!);
  }
  return box;
}

/** Whether the hole lies inside the outer ring, judged by its first vertex that is not on the outer boundary. */
function contains(outer: Ring, hole: Ring): boolean {
  const [a, b] = [outer.bbox, hole.bbox];
  if (b[0] < a[0] || b[1] < a[1] || b[2] > a[2] || b[3] > a[3]) return false;
  for (const vertex of hole.coordinates) {
    const where = locate(vertex, outer.coordinates);
    if (where !== 0) return where > 0;
  }
  // Every vertex is on the boundary: the hole traces the outer ring's own edges.
  return true;
}

/** 1 inside, -1 outside, 0 on the boundary (even-odd ray casting). */
function locate(p: Position, ring: Position[]): number {
  const [px, py] = p as [number, number];
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[i] as [number, number];
    const [bx, by] = ring[j] as [number, number];
    const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    if (cross === 0 && px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by)) return 0;
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? 1 : -1;
}
