/** CRS names publishers send: EPSG codes as URNs, URIs or EPSG:n, and CRS84 (lon/lat WGS84, stored as 4326). */
export function parseCrsName(name: string): number | undefined {
  const s = name.trim();
  if (/^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:OGC::CRS84|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84|(OGC:)?CRS84)$/i.test(s)) {
    return 4326;
  }
  const m =
    /^(?:EPSG:|urn:ogc:def:crs:EPSG:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/)?(\d{4,6})$/i.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** The legacy GeoJSON 2008 `crs` member: {"type":"name","properties":{"name":…}} or {"type":"EPSG","properties":{"code":n}}. */
export function crsFromMember(member: unknown): number | undefined | 'unreadable' {
  if (member === null || member === undefined) return undefined;
  const m = member as { type?: unknown; properties?: { name?: unknown; code?: unknown } };
  if (m.type === 'name' && typeof m.properties?.name === 'string') return parseCrsName(m.properties.name) ?? 'unreadable';
  if (String(m.type).toUpperCase() === 'EPSG' && m.properties?.code !== undefined) return parseCrsName(String(m.properties.code)) ?? 'unreadable';
  return 'unreadable';
}

export const crsLabel = (srid: number) => `EPSG:${srid}`;

/** A valid lon/lat pair cannot exceed 180/90; British National Grid eastings/northings are in metres. */
export function looksLikeBritishNationalGrid(x: number, y: number): boolean {
  // Metres: at least one ordinate is in the thousands (a few metres from the false origin is the sea off Scilly).
  const metres = Math.max(Math.abs(x), Math.abs(y)) >= 1000;
  return metres && x >= -200_000 && x <= 900_000 && y >= -200_000 && y <= 1_400_000;
}

/** Where coordinates of a CRS may lie; outside is an error. Unknown CRSs are only checked for finiteness. */
export function coordinateRange(srid: number): { minX: number; minY: number; maxX: number; maxY: number } | undefined {
  if (srid === 4326) return { minX: -180, minY: -90, maxX: 180, maxY: 90 };
  if (srid === 27700) return { minX: -200_000, minY: -200_000, maxX: 900_000, maxY: 1_400_000 };
  return undefined;
}
