import type { Geometry } from 'geojson';

/** What one walk over a geometry's positions found. */
export interface GeometryFacts {
  vertices: number;
  minDims: number;
  maxDims: number;
  empty: boolean;
  /** First position that is not a finite number pair, or outside the CRS's range. */
  badPosition?: { position: unknown; reason: 'not-finite' | 'out-of-range' };
  /** A line or ring jumps more than 180° of longitude between two vertices: it crosses the antimeridian. */
  crossesAntimeridian: boolean;
  /** A line (of a LineString or MultiLineString) whose positions are all one point: the only way a line is invalid. */
  collapsedLine: boolean;
  /** Bounds of the positions, in the source CRS. */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

type Range = { minX: number; minY: number; maxX: number; maxY: number } | undefined;

/** The first position of a geometry, or undefined when it has none. */
export function firstPosition(g: Geometry): number[] | undefined {
  if (g.type === 'GeometryCollection') {
    for (const child of g.geometries) {
      const p = firstPosition(child);
      if (p) return p;
    }
    return undefined;
  }
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && c.length >= 2 ? (c as number[]) : undefined;
}

interface Walk {
  facts: GeometryFacts;
  range: Range;
  lonLat: boolean;
}

// Module-level functions (no closures per call): this runs once per uploaded feature.
function visitPosition(w: Walk, p: number[]): void {
  const facts = w.facts;
  facts.empty = false;
  facts.vertices++;
  const n = p.length;
  if (n < facts.minDims) facts.minDims = n;
  if (n > facts.maxDims) facts.maxDims = n;
  const x = p[0]!;
  const y = p[1]!;
  if (x < facts.minX) facts.minX = x;
  if (x > facts.maxX) facts.maxX = x;
  if (y < facts.minY) facts.minY = y;
  if (y > facts.maxY) facts.maxY = y;
  if (facts.badPosition) return;
  const range = w.range;
  if (!Number.isFinite(x) || !Number.isFinite(y)) facts.badPosition = { position: p, reason: 'not-finite' };
  else if (w.lonLat && y >= -90 && y <= 90 && Math.abs(x) > 180 && Math.abs(x) <= 360) {
    // Longitudes past ±180 (e.g. 170..190) are how some tools draw a shape across the antimeridian.
    facts.crossesAntimeridian = true;
  } else if (range && (x < range.minX || x > range.maxX || y < range.minY || y > range.maxY)) {
    facts.badPosition = { position: p, reason: 'out-of-range' };
  }
}

function visitSequence(w: Walk, ps: number[][], connected: boolean): void {
  let prevX = NaN;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    visitPosition(w, p);
    if (connected && w.lonLat && Math.abs(p[0]! - prevX) > 180) w.facts.crossesAntimeridian = true;
    prevX = p[0]!;
  }
}

/** True when no position of the line differs from its first in x or y (heights are not stored). */
function isCollapsed(ps: number[][]): boolean {
  const x = ps[0]?.[0];
  const y = ps[0]?.[1];
  for (let i = 1; i < ps.length; i++) if (ps[i]![0] !== x || ps[i]![1] !== y) return false;
  return true;
}

function visit(w: Walk, g: Geometry): void {
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length > 0) visitPosition(w, g.coordinates);
      return;
    case 'MultiPoint':
      return visitSequence(w, g.coordinates, false);
    case 'LineString':
      visitSequence(w, g.coordinates, true);
      if (isCollapsed(g.coordinates)) w.facts.collapsedLine = true;
      return;
    case 'MultiLineString':
      for (const line of g.coordinates) {
        visitSequence(w, line, true);
        if (isCollapsed(line)) w.facts.collapsedLine = true;
      }
      return;
    case 'Polygon':
      for (const ring of g.coordinates) visitSequence(w, ring, true);
      return;
    case 'MultiPolygon':
      for (const poly of g.coordinates) for (const ring of poly) visitSequence(w, ring, true);
      return;
    case 'GeometryCollection':
      for (const child of g.geometries) visit(w, child);
  }
}

/**
 * Walks every position once: counts vertices, checks numbers and range, and notices
 * antimeridian jumps (only meaningful for lon/lat, so only when `lonLat`).
 */
export function inspectGeometry(g: Geometry, range: Range, lonLat: boolean): GeometryFacts {
  const facts: GeometryFacts = {
    vertices: 0,
    minDims: Infinity,
    maxDims: 0,
    empty: true,
    crossesAntimeridian: false,
    collapsedLine: false,
    minX: Infinity,
    minY: Infinity,
    maxX: -Infinity,
    maxY: -Infinity,
  };
  visit({ facts, range, lonLat }, g);
  return facts;
}
