import { InvalidParameterError } from '../errors';

/** A CRS we serve: its URI, SRID, and whether its authority axis order is lat/lon (northing first). */
export interface ServedCrs {
  uri: string;
  srid: number;
  /** True when coordinates must be written y,x (EPSG:4326 per EPSG; CRS84 and 27700 are x,y). */
  flipAxes: boolean;
  /** Decimal places worth writing: ~1 cm either way. */
  decimals: number;
}

export const CRS84: ServedCrs = { uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84', srid: 4326, flipAxes: false, decimals: 7 };
export const EPSG_4326: ServedCrs = { uri: 'http://www.opengis.net/def/crs/EPSG/0/4326', srid: 4326, flipAxes: true, decimals: 7 };
export const EPSG_27700: ServedCrs = { uri: 'http://www.opengis.net/def/crs/EPSG/0/27700', srid: 27700, flipAxes: false, decimals: 2 };

/** Output CRSs in the order the collections advertise them. */
export const SERVED_CRS: readonly ServedCrs[] = [CRS84, EPSG_4326, EPSG_27700];

/** The CRS for a URI or a short name (EPSG:27700, urn:ogc:def:crs:EPSG::4326); 400 otherwise. */
export function parseServedCrs(value: unknown, name: string): ServedCrs | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidParameterError(`${name} must be given once.`);
  const v = value.trim();
  const found = SERVED_CRS.find((c) => c.uri === v);
  if (found) return found;
  if (/^(urn:ogc:def:crs:OGC:(1\.3)?:CRS84|CRS84|OGC:CRS84)$/i.test(v)) return CRS84;
  if (/^(EPSG:4326|urn:ogc:def:crs:EPSG:[\d.]*:4326)$/i.test(v)) return EPSG_4326;
  if (/^(EPSG:27700|urn:ogc:def:crs:EPSG:[\d.]*:27700)$/i.test(v)) return EPSG_27700;
  throw new InvalidParameterError(`${name} "${v}" is not offered; use one of ${SERVED_CRS.map((c) => c.uri).join(', ')}.`);
}
