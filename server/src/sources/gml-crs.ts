import { SourceResponseError } from './remote-source';

/** What a GML srsName tells a reader: the EPSG code and how to turn its coordinates into x/y (east/north). */
export interface GmlCrs {
  srid: number;
  /** Coordinates arrive northing first (lat/lon): swap the first two values. */
  swapAxes: boolean;
  /** Values per position when a posList does not say (3 for geographic 3D CRSs). */
  dimension: 2 | 3;
}

export interface GmlCrsOptions {
  /**
   * Read "EPSG:nnnn" in EPSG's own axis order, as the URN forms are. Off by default: GeoServer and MapServer
   * write EPSG:4326 lon/lat, except MapServer's WFS 1.1 when the request named no SRSNAME (lat/lon under "EPSG:4326").
   */
  shortEpsgIsLatLon?: boolean;
}

/**
 * EPSG CRSs whose first axis is north (geographic lat/lon, and a few projected northing/easting grids).
 * Codes not listed are read as east/north; extend the list when a publisher needs another.
 */
const NORTH_FIRST = new Set([
  // geographic 2D/3D: WGS 84, ETRS89, NAD83, NAD27, GDA94, ED50, WGS 72, OSGB36, DHDN, MGI, Amersfoort,
  // Belge 1972, CH1903, CH1903+, RGF93, NZGD2000, NZGD49, SIRGAS 2000, JGD2000, JGD2011, NAD83(CSRS),
  // CGCS2000, SWEREF99, RT90, Hartebeesthoek94, GDA2020
  4326, 4979, 4258, 4937, 4269, 4267, 4283, 4939, 4230, 4322, 4277, 4314, 4312, 4289, 4313, 4149, 4150, 4171, 4167,
  4272, 4674, 4612, 6668, 4617, 4490, 4619, 4124, 4148, 7844,
  // projected northing/easting: DHDN Gauss-Krüger zones 2-5, Poland CS92 and CS2000, SWEREF99 TM
  31466, 31467, 31468, 31469, 2180, 2176, 2177, 2178, 2179, 3006,
]);
const THREE_D = new Set([4979, 4937, 4939]);

const LON_LAT_84 = /^(?:urn:ogc:def:crs:OGC:[\d.]*:CRS84|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]+\/CRS84|CRS:84|OGC:CRS84)$/i;
const LON_LAT_84H = /^(?:urn:ogc:def:crs:OGC:[\d.]*:CRS84h|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[^/]+\/CRS84h)$/i;
/** Forms that promise EPSG's axis order (OGC 07-092, WFS 1.1 §9.2, WFS 2.0 §7.9.2.4.4). */
const AUTHORITY_ORDER = [
  /^urn:(?:x-)?ogc:def:crs:EPSG:(?:[\d.]*:)?(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[^/]+\/(\d+)$/i,
  /^urn:EPSG:\w+:(\d+)$/i,
];
/** Forms read east/north whatever EPSG says (the traditional GIS convention). */
const EAST_NORTH = [/^https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#(\d+)$/i];
const SHORT_EPSG = /^EPSG:(\d+)$/i;

const crs = (srid: number, authorityOrder: boolean): GmlCrs => ({
  srid,
  swapAxes: authorityOrder && NORTH_FIRST.has(srid),
  dimension: THREE_D.has(srid) ? 3 : 2,
});

/** A GML srsName → EPSG code and axis handling; throws when Haenau cannot tell what the CRS is. */
export function crsFromSrsName(srsName: string, o: GmlCrsOptions = {}): GmlCrs {
  const name = srsName.trim();
  if (LON_LAT_84.test(name)) return crs(4326, false);
  if (LON_LAT_84H.test(name)) return crs(4979, false);
  for (const re of AUTHORITY_ORDER) {
    const m = re.exec(name);
    if (m) return crs(Number(m[1]), true);
  }
  for (const re of EAST_NORTH) {
    const m = re.exec(name);
    if (m) return crs(Number(m[1]), false);
  }
  const m = SHORT_EPSG.exec(name);
  if (m) return crs(Number(m[1]), o.shortEpsgIsLatLon === true);
  throw new SourceResponseError(`The service named a coordinate reference system Haenau does not recognise: ${JSON.stringify(name.slice(0, 200))}.`);
}
