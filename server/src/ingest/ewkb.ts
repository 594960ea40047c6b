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
    case 'MultiPoint':
      return g.type === 'LineString' ? 9 + 16 * g.coordinates.length : 9 + 21 * g.coordinates.length;
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, ring) => n + 4 + 16 * ring.length, 0);
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, line) => n + 9 + 16 * line.length, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, poly) => n + 9 + poly.reduce((m, ring) => m + 4 + 16 * ring.length, 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((n, child) => n + sizeOf(child), 0);
  }
}

/**
 * GeoJSON geometry → hex EWKB (little-endian, SRID on the outer geometry), which PostGIS reads
 * directly as COPY input for a geometry column. Expects a structurally checked geometry.
 */
export function toHexEwkb(g: Geometry, srid: number): string {
  const buf = Buffer.allocUnsafe(sizeOf(g) + 4);
  let o = 0;
  const header = (type: number, withSrid: boolean) => {
    buf[o++] = 1;
    buf.writeUInt32LE(withSrid ? type | SRID_FLAG : type, o);
    o += 4;
    if (withSrid) {
      buf.writeUInt32LE(srid, o);
      o += 4;
    }
  };
  const point = (p: Position) => {
    buf.writeDoubleLE(p[0]!, o);
    buf.writeDoubleLE(p[1]!, o + 8);
    o += 16;
  };
  const points = (ps: Position[]) => {
    buf.writeUInt32LE(ps.length, o);
    o += 4;
    for (const p of ps) point(p);
  };
  const rings = (rs: Position[][]) => {
    buf.writeUInt32LE(rs.length, o);
    o += 4;
    for (const r of rs) points(r);
  };
  const write = (geom: Geometry, top: boolean): void => {
    header(TYPE_CODE[geom.type], top);
    switch (geom.type) {
      case 'Point':
        return point(geom.coordinates);
      case 'LineString':
        return points(geom.coordinates);
      case 'Polygon':
        return rings(geom.coordinates);
      case 'MultiPoint':
        buf.writeUInt32LE(geom.coordinates.length, o);
        o += 4;
        for (const p of geom.coordinates) write({ type: 'Point', coordinates: p }, false);
        return;
      case 'MultiLineString':
        buf.writeUInt32LE(geom.coordinates.length, o);
        o += 4;
        for (const l of geom.coordinates) write({ type: 'LineString', coordinates: l }, false);
        return;
      case 'MultiPolygon':
        buf.writeUInt32LE(geom.coordinates.length, o);
        o += 4;
        for (const poly of geom.coordinates) write({ type: 'Polygon', coordinates: poly }, false);
        return;
      case 'GeometryCollection':
        buf.writeUInt32LE(geom.geometries.length, o);
        o += 4;
        for (const child of geom.geometries) write(child, false);
    }
  };
  write(g, true);
  return buf.toString('hex', 0, o);
}
