import type { Geometry, Position } from 'geojson';

const TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;

/** Thrown for bytes that are not WKB (bad type code, or shorter than they say). */
export class WkbError extends Error {}

/**
 * Reads Well-Known Binary into GeoJSON: ISO (1001 Z, 2001 M, 3001 ZM) and EWKB flag codes, either
 * byte order per geometry. M is dropped; Z is kept (the checker reports heights as dropped). An
 * empty point (NaN NaN) becomes a point with no coordinates.
 */
export function readWkb(buf: Buffer, offset = 0): Geometry {
  let at = offset;
  const need = (n: number) => {
    if (at + n > buf.length) throw new WkbError(`the geometry ends early, at byte ${at - offset}`);
  };
  const geometry = (depth: number): Geometry => {
    if (depth > 32) throw new WkbError('the geometry is nested too deeply');
    need(5);
    const le = buf[at] === 1;
    if (buf[at] !== 0 && buf[at] !== 1) throw new WkbError(`byte ${at - offset} should give the byte order (0 or 1), not ${buf[at]}`);
    at++;
    const uint = () => {
      need(4);
      const v = le ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
      at += 4;
      return v;
    };
    const double = () => {
      need(8);
      const v = le ? buf.readDoubleLE(at) : buf.readDoubleBE(at);
      at += 8;
      return v;
    };
    const code = uint();
    let hasZ = (code & 0x80000000) !== 0;
    let hasM = (code & 0x40000000) !== 0;
    if (code & 0x20000000) uint(); // EWKB SRID: the table's SRID is the one that counts
    let base = code & 0x0fffffff;
    const iso = Math.floor(base / 1000);
    if (iso === 1 || iso === 3) hasZ = true;
    if (iso === 2 || iso === 3) hasM = true;
    base %= 1000;
    const type = TYPES[base];
    if (!type) throw new WkbError(`${code} is not a WKB geometry type`);
    const position = (): Position => {
      const p = [double(), double()];
      if (hasZ) p.push(double());
      if (hasM) double();
      return p;
    };
    const count = () => {
      const n = uint();
      // Each item takes at least 4 bytes, so a count beyond that is a lie, not a reason to allocate.
      if (n > (buf.length - at) / 4) throw new WkbError(`the geometry says it has ${n} parts but is too short for them`);
      return n;
    };
    const points = () => Array.from({ length: count() }, position);
    const rings = () => Array.from({ length: count() }, points);
    const parts = <T>(read: () => T) => Array.from({ length: count() }, read);
    switch (type) {
      case 'Point': {
        const p = position();
        return { type, coordinates: p.every(Number.isNaN) ? [] : p };
      }
      case 'LineString':
        return { type, coordinates: points() };
      case 'Polygon':
        return { type, coordinates: rings() };
      case 'MultiPoint':
        return { type, coordinates: parts(() => (geometry(depth + 1) as { coordinates: Position }).coordinates) };
      case 'MultiLineString':
        return { type, coordinates: parts(() => (geometry(depth + 1) as { coordinates: Position[] }).coordinates) };
      case 'MultiPolygon':
        return { type, coordinates: parts(() => (geometry(depth + 1) as { coordinates: Position[][] }).coordinates) };
      case 'GeometryCollection':
        return { type, geometries: parts(() => geometry(depth + 1)) };
    }
  };
  return geometry(0);
}

/** Envelope sizes by the GeoPackage header's envelope indicator (flags bits 1–3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/**
 * A GeoPackage geometry blob (GeoPackage 1.3 §2.1.3): "GP", version, flags, SRS id, optional
 * envelope, then WKB. Null for the empty-geometry flag.
 */
export function readGeoPackageGeometry(blob: Buffer): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new WkbError('it does not start with the GeoPackage "GP" header');
  const flags = blob[3]!;
  if (flags & 0x20) throw new WkbError('it uses an extended GeoPackage geometry type');
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw new WkbError('its header has an unknown envelope code');
  if (flags & 0x10) return null;
  return readWkb(blob, 8 + envelope);
}
