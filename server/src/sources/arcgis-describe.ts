import { type OfferedFeatureType, type ServiceDescription, SourceResponseError } from './remote-source';
import type { EsriField } from './esri-json';

/** How an ArcGIS FeatureServer/MapServer root or layer JSON (…?f=json) becomes what Haenau says the service offers. */

export type SpatialReference = { wkid?: number; latestWkid?: number };
/** ArcGIS writes an empty extent's corners as "NaN" strings or nulls. */
type Extent = { [corner in 'xmin' | 'ymin' | 'xmax' | 'ymax']?: number | string | null } & { spatialReference?: SpatialReference };

/** The parts of a FeatureServer/MapServer root or layer JSON (…?f=json) that Haenau reads. */
export interface ArcgisInfo {
  currentVersion?: number;
  id?: number;
  name?: string;
  description?: string;
  documentInfo?: { Title?: string };
  layers?: { id: number; name?: string; type?: string; geometryType?: string; subLayerIds?: number[] | null }[];
  geometryType?: string;
  fields?: EsriField[] | null;
  objectIdField?: string;
  extent?: Extent;
  fullExtent?: Extent;
  initialExtent?: Extent;
  spatialReference?: SpatialReference;
  supportedQueryFormats?: string;
  supportsPagination?: boolean;
  advancedQueryCapabilities?: { supportsPagination?: boolean };
  maxRecordCount?: number;
  editingInfo?: { lastEditDate?: number };
}

const GEOJSON_TYPE: Record<string, string> = {
  esriGeometryPoint: 'Point',
  esriGeometryMultipoint: 'MultiPoint',
  // Any Esri polyline or polygon may have several parts, so the layer as a whole is Multi….
  esriGeometryPolyline: 'MultiLineString',
  esriGeometryPolygon: 'MultiPolygon',
  esriGeometryEnvelope: 'Polygon',
};
const WEB_MERCATOR = new Set([3857, 102100, 102113, 900913]);

export function describeService(url: URL, json: ArcgisInfo): ServiceDescription {
  const bbox = wgs84Bbox(json.fullExtent) ?? wgs84Bbox(json.initialExtent);
  const crs = crsNames(json.spatialReference ?? json.fullExtent?.spatialReference);
  const featureTypes = (json.layers ?? [])
    // Group layers only hold other layers; tables (listed apart, under "tables") have no geometry.
    .filter((layer) => !layer.subLayerIds?.length && (layer.type === undefined || layer.type === 'Feature Layer'))
    .map((layer) => offered(String(layer.id), { title: layer.name, geometryType: GEOJSON_TYPE[layer.geometryType ?? ''], bbox, crs }));
  const serviceName = /([^/]+)\/(?:FeatureServer|MapServer)$/i.exec(url.pathname)?.[1];
  return serviceDescription(url, json, json.documentInfo?.Title?.trim() || serviceName, featureTypes);
}

export function describeLayer(url: URL, json: ArcgisInfo): ServiceDescription {
  const id = /\/(\d+)$/.exec(url.pathname)?.[1] ?? (json.id === undefined ? undefined : String(json.id));
  if (id === undefined) throw new SourceResponseError(`${place(url)} describes a layer but its address does not end with the layer's id.`);
  const crs = crsNames(json.extent?.spatialReference);
  const type = offered(id, { title: json.name, description: json.description, geometryType: GEOJSON_TYPE[json.geometryType ?? ''], bbox: wgs84Bbox(json.extent), crs });
  return serviceDescription(url, json, json.name, [type]);
}

function serviceDescription(url: URL, json: ArcgisInfo, title: string | undefined, featureTypes: OfferedFeatureType[]): ServiceDescription {
  return defined({
    kind: 'arcgis' as const,
    url: url.href,
    title,
    version: json.currentVersion === undefined ? undefined : String(json.currentVersion),
    outputFormats: queryFormats(json),
    paging: supportsPagination(json),
    featureTypes,
  });
}

function offered(id: string, about: Omit<OfferedFeatureType, 'id'>): OfferedFeatureType {
  return defined({ id, ...about, description: about.description?.trim() || undefined });
}

/** The object without its undefined members, so descriptions carry only what the service said. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function queryFormats(json: ArcgisInfo): string[] | undefined {
  return json.supportedQueryFormats?.split(',').map((f) => f.trim()).filter((f) => f !== '');
}

export function supportsPagination(json: ArcgisInfo): boolean | undefined {
  return json.advancedQueryCapabilities?.supportsPagination ?? json.supportsPagination;
}

function crsNames(sr: SpatialReference | undefined): string[] | undefined {
  const wkid = sr?.latestWkid ?? sr?.wkid;
  // Esri's own ids (100000 and up, e.g. 102100) are not EPSG codes; every layer can answer in EPSG:4326 (outSR).
  if (wkid === undefined || wkid >= 100000) return ['EPSG:4326'];
  return [...new Set([`EPSG:${wkid}`, 'EPSG:4326'])];
}

/** WGS84 bounds of an extent given in EPSG:4326 or Web Mercator (most ArcGIS Online layers); others are left out. */
function wgs84Bbox(extent: Extent | undefined): [number, number, number, number] | undefined {
  const { xmin, ymin, xmax, ymax } = extent ?? {};
  if (![xmin, ymin, xmax, ymax].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  const box = [xmin, ymin, xmax, ymax] as [number, number, number, number];
  const wkid = extent?.spatialReference?.latestWkid ?? extent?.spatialReference?.wkid;
  if (wkid === 4326) return box;
  if (wkid === undefined || !WEB_MERCATOR.has(wkid)) return undefined;
  const radius = 6378137;
  const lon = (x: number) => Math.max(-180, Math.min(180, (x / radius) * (180 / Math.PI)));
  const lat = (y: number) => (2 * Math.atan(Math.exp(y / radius)) - Math.PI / 2) * (180 / Math.PI);
  return [lon(box[0]), lat(box[1]), lon(box[2]), lat(box[3])];
}

/** How messages name the service: "The ArcGIS service at host/path". */
export function place(url: URL): string {
  return `The ArcGIS service at ${url.host}${url.pathname}`;
}
