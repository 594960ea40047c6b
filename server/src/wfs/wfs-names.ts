import { CRS84, EPSG_27700, EPSG_4326, type ServedCrs } from '../platform/geo/crs';
import { OwsException } from './wfs-exception';

export const WFS_NAMESPACE = 'urn:haenau:features';
export const WFS_PREFIX = 'haenau';

/** "haenau:sample-schools" or "sample-schools" → the layer slug. */
export function typeNameToSlug(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/**
 * WFS CRS names. URN and http forms of EPSG:4326 mean lat/lon; the short "EPSG:4326" is read the way
 * GDAL and QGIS mean it, lon/lat.
 */
export function parseWfsCrs(value: string, locator: string): ServedCrs {
  const v = value.trim();
  if (/^(urn:ogc:def:crs:EPSG:[\d.]*:4326|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/4326)$/i.test(v)) return EPSG_4326;
  if (/^(EPSG:4326|https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#4326|urn:ogc:def:crs:OGC:1\.3:CRS84|https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84)$/i.test(v)) return CRS84;
  if (/^(EPSG:27700|urn:ogc:def:crs:EPSG:[\d.]*:27700|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/27700|https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#27700)$/i.test(v)) return EPSG_27700;
  throw new OwsException('InvalidParameterValue', locator, `${locator} "${v}" is not offered; use urn:ogc:def:crs:EPSG::4326 or urn:ogc:def:crs:EPSG::27700.`);
}

