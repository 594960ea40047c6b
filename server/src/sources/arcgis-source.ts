import type { Feature } from 'geojson';
import { type ArcgisInfo, describeLayer, describeService, place, queryFormats, type SpatialReference, supportsPagination } from './arcgis-describe';
import { dateFieldNames, esriFeatureToGeoJson, withIsoDates, type EsriFeature, type EsriField } from './esri-json';
import { SourceResponseError, type FeaturePage, type HarvestTarget, type PageOptions, type RemoteSource } from './remote-source';
import { FetchRefusedError, type Fetcher } from './safe-fetch';

/** A query answer: a GeoJSON FeatureCollection (f=geojson) or an Esri feature set (f=json). */
interface QueryAnswer {
  type?: string;
  features?: unknown[];
  properties?: { exceededTransferLimit?: boolean };
  exceededTransferLimit?: boolean;
  objectIdFieldName?: string;
  fields?: EsriField[];
  spatialReference?: SpatialReference;
  hasZ?: boolean;
  hasM?: boolean;
}

interface QueryPlan {
  queryUrl: URL;
  objectIdField: string;
  /** geojson when the layer lists it in supportedQueryFormats; otherwise Esri JSON, converted here. */
  format: 'geojson' | 'json';
  /** Offset paging (supportsPagination); otherwise object-id ranges. */
  paging: boolean;
  /** Features asked for per request; without paging, the most the server sends (maxRecordCount). */
  pageSize: number;
  dateFields: Set<string>;
}

/** ArcGIS Server's own maxRecordCount when a layer does not state one. */
const DEFAULT_MAX_RECORD_COUNT = 1000;

/** An ArcGIS REST FeatureServer or MapServer layer, harvested through its query operation. */
export const arcgisSource: RemoteSource = {
  kind: 'arcgis',

  recognises: (url) => /\/rest\/services\//i.test(url.pathname) && /\/(featureserver|mapserver)(\/|$)/i.test(url.pathname),

  async describe(url, fetcher) {
    const resource = resourceUrl(url);
    const { json } = await getArcgisJson<ArcgisInfo>(fetcher, withParams(resource, { f: 'json' }));
    if (Array.isArray(json.layers)) return describeService(resource, json);
    if (Array.isArray(json.fields) && json.geometryType) return describeLayer(resource, json);
    if (Array.isArray(json.fields)) throw new SourceResponseError(`${place(resource)} is a table without geometry; Haenau harvests layers only.`);
    throw new SourceResponseError(`${place(resource)} answered JSON that is neither an ArcGIS FeatureServer or MapServer nor one of its layers.`);
  },

  async *pages(target, fetcher, options) {
    const layerUrl = harvestLayerUrl(target);
    const { json: layer } = await getArcgisJson<ArcgisInfo>(fetcher, withParams(layerUrl, { f: 'json' }), options.signal);
    const plan = queryPlan(layerUrl, layer, options.pageSize);
    if (unchangedSinceLastHarvest(layer, options)) return;
    let offset = 0;
    let lastId: number | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const { json, bytes } = await getArcgisJson<QueryAnswer>(fetcher, withParams(plan.queryUrl, queryParams(plan, offset, lastId)), options.signal);
      const { features, exceeded } = readPage(json, plan);
      if (features.length === 0) return;
      yield { features, srid: 4326, bytes } satisfies FeaturePage;
      if (!exceeded && features.length < plan.pageSize) return;
      if (plan.paging) offset += features.length;
      else lastId = lastObjectId(features, lastId, plan);
    }
  },
};

/** The layer to harvest: the service root plus featureType, or a layer address as it is. */
function harvestLayerUrl(target: HarvestTarget): URL {
  const url = resourceUrl(target.url);
  const parts = /^(.*\/(?:FeatureServer|MapServer))(?:\/(\d+))?$/i.exec(url.pathname);
  if (!parts) throw new SourceResponseError(`${url.href} is not the address of an ArcGIS FeatureServer or MapServer.`);
  const id = target.featureType ?? parts[2];
  if (id === undefined || !/^\d+$/.test(id)) throw new SourceResponseError(`Name the layer of ${url.href} to harvest by its number (for example 0), not ${id === undefined ? 'nothing' : `"${id}"`}.`);
  url.pathname = `${parts[1]}/${id}`;
  return url;
}

function queryPlan(layerUrl: URL, layer: ArcgisInfo, pageSize: number): QueryPlan {
  if (!Array.isArray(layer.fields)) throw new SourceResponseError(`${place(layerUrl)} is not an ArcGIS layer (its JSON lists no fields).`);
  if (!layer.geometryType) throw new SourceResponseError(`${place(layerUrl)} is a table without geometry; Haenau harvests layers only.`);
  const objectIdField = layer.objectIdField ?? layer.fields.find((f) => f.type === 'esriFieldTypeOID')?.name;
  if (!objectIdField) throw new SourceResponseError(`${place(layerUrl)} has no object id field, so its features cannot be read page by page in a stable order.`);
  const maxRecordCount = layer.maxRecordCount && layer.maxRecordCount > 0 ? layer.maxRecordCount : DEFAULT_MAX_RECORD_COUNT;
  const paging = supportsPagination(layer) === true;
  return {
    queryUrl: new URL(`${layerUrl.href}/query`),
    objectIdField,
    format: queryFormats(layer)?.some((f) => f.toLowerCase() === 'geojson') ? 'geojson' : 'json',
    paging,
    pageSize: paging ? Math.max(1, Math.min(pageSize, maxRecordCount)) : maxRecordCount,
    dateFields: dateFieldNames(layer.fields),
  };
}

/**
 * Without supportsPagination (ArcGIS Server before 10.3, some MapServer layers) the server sends at most
 * maxRecordCount features per query, so we walk object-id ranges instead: `oid > last`, ordered by oid.
 * This needs no list of all ids up front (returnIdsOnly can be millions of numbers) and stays right while
 * the server honours the order, which lastObjectId checks.
 */
function queryParams(plan: QueryPlan, offset: number, lastId: number | undefined): Record<string, string> {
  const where = plan.paging || lastId === undefined ? '1=1' : `${plan.objectIdField} > ${lastId}`;
  const page: Record<string, string> = plan.paging ? { resultOffset: String(offset), resultRecordCount: String(plan.pageSize) } : {};
  return { where, outFields: '*', returnGeometry: 'true', outSR: '4326', orderByFields: `${plan.objectIdField} ASC`, ...page, f: plan.format };
}

function readPage(json: QueryAnswer, plan: QueryPlan): { features: Feature[]; exceeded: boolean } {
  const where = place(plan.queryUrl);
  if (!Array.isArray(json.features)) throw new SourceResponseError(`${where} answered a query without a list of features.`);
  const exceeded = json.exceededTransferLimit === true || json.properties?.exceededTransferLimit === true;
  if (plan.format === 'geojson') {
    if (json.type !== 'FeatureCollection') throw new SourceResponseError(`${where} was asked for GeoJSON (f=geojson) but did not answer with a FeatureCollection.`);
    return { features: json.features.map((f) => fromGeoJson(f as Feature, plan)), exceeded };
  }
  const wkid = json.spatialReference?.latestWkid ?? json.spatialReference?.wkid;
  if (wkid !== undefined && wkid !== 4326) throw new SourceResponseError(`${where} was asked for coordinates in EPSG:4326 (outSR=4326) but answered in wkid ${wkid}.`);
  const conversion = {
    objectIdField: json.objectIdFieldName ?? plan.objectIdField,
    dateFields: json.fields ? dateFieldNames(json.fields) : plan.dateFields,
    hasZ: json.hasZ,
    hasM: json.hasM,
  };
  return { features: (json.features as EsriFeature[]).map((f) => esriFeatureToGeoJson(f, conversion)), exceeded };
}

/** ArcGIS's GeoJSON still carries dates as epoch milliseconds; the id is the object id. */
function fromGeoJson(feature: Feature, plan: QueryPlan): Feature {
  const properties = withIsoDates(feature.properties ?? {}, plan.dateFields);
  const id = feature.id ?? properties[plan.objectIdField];
  return { ...feature, ...(typeof id === 'number' || typeof id === 'string' ? { id } : {}), properties };
}

/** The highest object id of a page, refusing a page out of order: a cursor over unordered pages would skip features. */
function lastObjectId(features: Feature[], previous: number | undefined, plan: QueryPlan): number {
  let last = previous ?? -Infinity;
  for (const feature of features) {
    if (typeof feature.id !== 'number') throw new SourceResponseError(`${place(plan.queryUrl)} sent a feature without a numeric ${plan.objectIdField}, so the next page cannot be asked for.`);
    if (feature.id <= last) {
      throw new SourceResponseError(`${place(plan.queryUrl)} did not return features in ${plan.objectIdField} order and does not support paging, so its features cannot be read without skipping some.`);
    }
    last = feature.id;
  }
  return last;
}

/** Hosted layers say when they were last edited; that serves as Last-Modified, so an unedited layer is not downloaded again. */
function unchangedSinceLastHarvest(layer: ArcgisInfo, options: PageOptions): boolean {
  const edited = layer.editingInfo?.lastEditDate;
  if (typeof edited !== 'number' || !Number.isFinite(edited)) return false;
  const lastModified = new Date(edited).toUTCString();
  if (options.validators?.lastModified === lastModified) {
    options.onNotModified?.();
    return true;
  }
  options.onValidators?.({ lastModified });
  return false;
}

/** GET ArcGIS JSON. ArcGIS reports most failures as {error: {code, message, details}}, often with HTTP 200. */
async function getArcgisJson<T>(fetcher: Fetcher, url: string, signal?: AbortSignal): Promise<{ json: T; bytes: number }> {
  const res = await fetcher.get(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  const body = await res.buffer();
  const where = place(new URL(res.url));
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (isRecord(json) && isRecord(json.error)) throw arcgisError(json.error, where);
  const excerpt = body.subarray(0, 400).toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  const quoted = excerpt ? `: "${excerpt}"` : '';
  if (res.status < 200 || res.status >= 300) throw new SourceResponseError(`${where} answered HTTP ${res.status}${quoted}.`);
  if (!isRecord(json)) {
    const type = res.headers.get('content-type')?.split(';')[0]?.trim() || 'a response without a Content-Type';
    throw new SourceResponseError(`${where} sent ${type} where ArcGIS JSON was expected${quoted}.`);
  }
  return { json: json as T, bytes: body.length };
}

function arcgisError(error: Record<string, unknown>, where: string): SourceResponseError {
  const message = typeof error.message === 'string' && error.message.trim() ? error.message.trim() : 'no message';
  const details = (Array.isArray(error.details) ? error.details : []).filter((d): d is string => typeof d === 'string' && d.trim() !== '' && d.trim() !== message);
  const code = typeof error.code === 'number' ? ` ${error.code}` : '';
  const token = error.code === 498 || error.code === 499 ? ' The layer is not public; Haenau harvests only services that need no token.' : '';
  return new SourceResponseError(`${where} reported ArcGIS error${code}: "${message}"${details.length ? ` (${details.join('; ')})` : ''}.${token}`);
}

/** The service or layer address without query, fragment, trailing slash or /query. */
function resourceUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefusedError('bad-url', `The address is not a valid web address: ${raw.slice(0, 200)}`);
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/query$/i, '');
  return url;
}

function withParams(base: URL, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
