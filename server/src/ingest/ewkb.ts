import type { Geometry, Position } from 'geojson';

const TYPE_CODE: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};
const SRID_FLAG = 0x20000000;

/** Bytes of the WKB for g (2D: any Z is left out), header included. */
function sizeOf(g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 9 + 16 * g.coordinates.length;
    case 'MultiPoint':
      return 9 + 21 * g.coordinates.length;
    case 'Polygon':
      return 9 + ringsSize(g.coordinates);
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, line) => n + 9 + 16 * line.length, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, poly) => n + 9 + ringsSize(poly), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((n, child) => n + sizeOf(child), 0);
  }
}

function ringsSize(rings: Position[][]): number {
  let n = 0;
  for (const r of rings) n += 4 + 16 * r.length;
  return n;
}

// Module-level writers (no closures per call): this runs once per uploaded feature.
function writeHeader(buf: Buffer, o: number, type: number, srid: number | undefined): number {
  buf[o] = 1;
  buf.writeUInt32LE(srid === undefined ? type : type | SRID_FLAG, o + 1);
  if (srid === undefined) return o + 5;
  buf.writeUInt32LE(srid, o + 5);
  return o + 9;
}

function writePoints(buf: Buffer, o: number, ps: Position[]): number {
  buf.writeUInt32LE(ps.length, o);
  o += 4;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    buf.writeDoubleLE(p[0]!, o);
    buf.writeDoubleLE(p[1]!, o + 8);
    o += 16;
  }
  return o;
}

function writeRings(buf: Buffer, o: number, rings: Position[][]): number {
  buf.writeUInt32LE(rings.length, o);
  o += 4;
  for (const r of rings) o = writePoints(buf, o, r);
  return o;
}

/** A multi-geometry's or collection's parts: their count, then each as a full WKB geometry without SRID. */
function writeParts(buf: Buffer, o: number, parts: Geometry[]): number {
  buf.writeUInt32LE(parts.length, o);
  o += 4;
  for (const part of parts) o = writeGeometry(buf, o, part, undefined);
  return o;
}

function writeGeometry(buf: Buffer, o: number, g: Geometry, srid: number | undefined): number {
  o = writeHeader(buf, o, TYPE_CODE[g.type], srid);
  switch (g.type) {
    case 'Point':
      buf.writeDoubleLE(g.coordinates[0]!, o);
      buf.writeDoubleLE(g.coordinates[1]!, o + 8);
      return o + 16;
    case 'LineString':
      return writePoints(buf, o, g.coordinates);
    case 'Polygon':
      return writeRings(buf, o, g.coordinates);
    case 'MultiPoint':
      return writeParts(buf, o, g.coordinates.map((coordinates) => ({ type: 'Point', coordinates })));
    case 'MultiLineString':
      return writeParts(buf, o, g.coordinates.map((coordinates) => ({ type: 'LineString', coordinates })));
    case 'MultiPolygon':
      return writeParts(buf, o, g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates })));
    case 'GeometryCollection':
      return writeParts(buf, o, g.geometries);
  }
}

/**
 * GeoJSON geometry → hex EWKB (little-endian, SRID on the outer geometry), which PostGIS reads
 * directly as COPY input for a geometry column. Expects a structurally checked geometry.
 */
export function toHexEwkb(g: Geometry, srid: number): string {
  const buf = Buffer.allocUnsafe(sizeOf(g) + 4);
  const end = writeGeometry(buf, 0, g, srid);
  return buf.toString('hex', 0, end);
}
