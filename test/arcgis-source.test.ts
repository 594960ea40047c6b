import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { area, bbox, booleanWithin, pointOnFeature, polygon as turfPolygon, rewind } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { afterEach, describe, expect, it } from 'vitest';
import { arcgisSource } from '../server/src/sources/arcgis-source';
import { SourceResponseError, type FeaturePage, type PageOptions } from '../server/src/sources/remote-source';
import { createFetcher } from '../server/src/sources/safe-fetch';

// No ArcGIS recordings exist, so a server on 127.0.0.1 answers in the shapes the ArcGIS REST API documents,
// from Cardiff's real electoral wards. Its storage order is not object-id order, so orderByFields matters.
const WARDS_FILE = new URL('../../shared/data/uk-geodata/cardiff_electoral_wards_W06000015.geojson', import.meta.url);
const wards = JSON.parse(readFileSync(WARDS_FILE, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, Record<string, string>>;
const lastEdited = (i: number) => Date.UTC(2013, 4, 1 + i, 9, 30);
const FIELDS = [
  { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', sqlType: 'sqlTypeOther', nullable: false, editable: false, domain: null, defaultValue: null },
  { name: 'WD13CD', type: 'esriFieldTypeString', alias: 'Ward code', sqlType: 'sqlTypeOther', length: 9, nullable: true, editable: true, domain: null, defaultValue: null },
  { name: 'WD13CDO', type: 'esriFieldTypeString', alias: 'Old ward code', sqlType: 'sqlTypeOther', length: 6, nullable: true, editable: true, domain: null, defaultValue: null },
  { name: 'WD13NM', type: 'esriFieldTypeString', alias: 'Ward name', sqlType: 'sqlTypeOther', length: 60, nullable: true, editable: true, domain: null, defaultValue: null },
  { name: 'WD13NMW', type: 'esriFieldTypeString', alias: 'Enw ward', sqlType: 'sqlTypeOther', length: 60, nullable: true, editable: true, domain: null, defaultValue: null },
  { name: 'LAST_EDITED', type: 'esriFieldTypeDate', alias: 'Last edited', sqlType: 'sqlTypeOther', length: 8, nullable: true, editable: false, domain: null, defaultValue: null },
];

interface Row {
  attributes: Record<string, string | number>;
  geometry: Polygon | MultiPolygon;
  /** Esri rings in a chosen order, where the order is the point of a test. */
  rings?: Position[][];
}

interface ServiceOptions {
  /** supportedQueryFormats of each layer. */
  formats: string;
  pagination: boolean;
  maxRecordCount: number;
  /** Fewer features than maxRecordCount per answer, as ArcGIS Online does for big polygons (with exceededTransferLimit). */
  sendAtMost?: number;
  objectId?: (index: number) => number;
  /** Older servers give only the field list, with one esriFieldTypeOID field. */
  omitObjectIdField?: boolean;
  lastEditDate?: number;
  queryError?: boolean;
}

function wardRows(objectId: (index: number) => number): Row[] {
  const rows = wards.features.map((ward, i) => ({ attributes: { OBJECTID: objectId(i), ...ward.properties, LAST_EDITED: lastEdited(i) }, geometry: ward.geometry }));
  return rows.map((_, i) => rows[(i * 7) % rows.length]!);
}

/** Two wards as one feature, with a lake cut out of the second; the hole's ring comes between the two outer rings. */
function lakeRow(): Row {
  const [a, b] = [wards.features[0]!.geometry as Polygon, wards.features[5]!.geometry as Polygon];
  const [x, y] = pointOnFeature(b).geometry.coordinates as [number, number];
  let half = 0.004;
  let lake = square(x, y, half);
  while (!booleanWithin(turfPolygon([lake]), b)) lake = square(x, y, (half /= 2));
  return {
    attributes: { OBJECTID: 1, NAME: 'Adamsdown and a ward with a lake' },
    geometry: { type: 'MultiPolygon', coordinates: [[a.coordinates[0]!], [b.coordinates[0]!, lake]] },
    rings: [wound(a.coordinates[0]!, true), wound(lake, false), wound(b.coordinates[0]!, true)],
  };
}

function square(x: number, y: number, half: number): Position[] {
  return [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]];
}

function wound(ring: Position[], clockwise: boolean): Position[] {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum < 0 === clockwise ? ring : [...ring].reverse();
}

/** Esri JSON polygon: outer rings clockwise, holes anticlockwise, all in one list. */
function esriRings(geometry: Polygon | MultiPolygon): Position[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flatMap(([outer, ...holes]) => [wound(outer!, true), ...holes.map((hole) => wound(hole, false))]);
}

const arcgisError = (code: number, message: string, details: string[]) => ({ error: { code, message, details } });

function layerJson(id: number, name: string, options: ServiceOptions) {
  const [xmin, ymin, xmax, ymax] = bbox(wards);
  return {
    currentVersion: 11.1, id, name, type: 'Feature Layer', description: 'Electoral wards as drawn in 2013.', geometryType: 'esriGeometryPolygon',
    sourceSpatialReference: { wkid: 27700, latestWkid: 27700 }, copyrightText: 'Contains OS data © Crown copyright 2013', parentLayer: null, subLayers: [],
    minScale: 0, maxScale: 0, extent: { xmin, ymin, xmax, ymax, spatialReference: { wkid: 4326, latestWkid: 4326 } }, hasAttachments: false,
    htmlPopupType: 'esriServerHTMLPopupTypeAsHTMLText', displayField: 'WD13NM', typeIdField: null, subtypeField: null,
    fields: id === 1 ? [FIELDS[0], { name: 'NAME', type: 'esriFieldTypeString', alias: 'Name', length: 80 }] : FIELDS,
    geometryField: { name: 'Shape', type: 'esriFieldTypeGeometry', alias: 'Shape' }, indexes: [], relationships: [], canModifyLayer: false, hasLabels: false,
    capabilities: 'Query', maxRecordCount: options.maxRecordCount, supportsStatistics: true, supportsAdvancedQueries: true, supportedQueryFormats: options.formats,
    isDataVersioned: false, useStandardizedQueries: true, hasZ: false, hasM: false,
    advancedQueryCapabilities: { useStandardizedQueries: true, supportsStatistics: true, supportsOrderBy: true, supportsDistinct: true, supportsPagination: options.pagination, supportsTrueCurve: true },
    ...(options.omitObjectIdField ? {} : { objectIdField: 'OBJECTID' }),
    ...(options.lastEditDate ? { editingInfo: { lastEditDate: options.lastEditDate, schemaLastEditDate: 1368000000000, dataLastEditDate: options.lastEditDate } } : {}),
  };
}

function serviceJson(options: ServiceOptions) {
  const [xmin, ymin, xmax, ymax] = bbox(wards).map((v, i) => (i % 2 === 0 ? (v * Math.PI * 6378137) / 180 : 6378137 * Math.log(Math.tan(Math.PI / 4 + (v * Math.PI) / 360))));
  const extent = { xmin, ymin, xmax, ymax, spatialReference: { wkid: 102100, latestWkid: 3857 } };
  const layer = (id: number, name: string) => ({ id, name, parentLayerId: -1, defaultVisibility: true, subLayerIds: null, minScale: 0, maxScale: 0, type: 'Feature Layer', geometryType: 'esriGeometryPolygon' });
  return {
    currentVersion: 11.1, serviceDescription: 'Electoral wards of Cardiff, published by the council.', hasVersionedData: false, supportsDisconnectedEditing: false,
    maxRecordCount: options.maxRecordCount, supportedQueryFormats: options.formats, capabilities: 'Query', description: '', copyrightText: 'Cardiff Council',
    spatialReference: { wkid: 102100, latestWkid: 3857 }, initialExtent: extent, fullExtent: extent, units: 'esriMeters',
    documentInfo: { Title: 'Cardiff electoral wards', Author: 'Cardiff Council', Comments: '', Subject: '', Category: '', Keywords: 'wards,elections' },
    layers: [layer(0, 'Electoral wards'), layer(1, 'Wards with a lake')],
    tables: [{ id: 2, name: 'Councillors', parentLayerId: -1, defaultVisibility: true, subLayerIds: null, minScale: 0, maxScale: 0 }],
  };
}

function query(rows: Row[], params: URLSearchParams, options: ServiceOptions): unknown {
  const f = params.get('f');
  if (options.queryError) return arcgisError(400, 'Unable to complete operation.', ['Unable to perform query operation.']);
  if (f === 'geojson' && !/geojson/i.test(options.formats)) return arcgisError(400, 'Invalid or missing input parameters.', ["'f' parameter is invalid"]);
  if (params.get('outSR') !== '4326' || params.get('outFields') !== '*') return arcgisError(400, 'Invalid or missing input parameters.', ['outSR and outFields are checked here']);
  const after = /^OBJECTID > (\d+)$/.exec(params.get('where') ?? '');
  if (params.get('where') !== '1=1' && !after) return arcgisError(400, 'Unable to complete operation.', ['Invalid where clause.']);
  if (!options.pagination && (params.has('resultOffset') || params.has('resultRecordCount'))) return arcgisError(400, 'Unable to complete operation.', ['Pagination is not supported.']);
  let found = rows.filter((row) => !after || Number(row.attributes.OBJECTID) > Number(after[1]));
  if (params.get('orderByFields') === 'OBJECTID ASC') found = [...found].sort((a, b) => Number(a.attributes.OBJECTID) - Number(b.attributes.OBJECTID));
  const start = Number(params.get('resultOffset') ?? 0);
  const count = Math.min(Number(params.get('resultRecordCount') ?? Infinity), options.maxRecordCount, options.sendAtMost ?? Infinity);
  const page = found.slice(start, start + count);
  const exceeded = start + page.length < found.length;
  if (f === 'geojson') {
    const features = page.map((row) => ({ type: 'Feature', id: row.attributes.OBJECTID, geometry: rewind(row.geometry), properties: row.attributes }));
    return { type: 'FeatureCollection', features, ...(exceeded ? { properties: { exceededTransferLimit: true } } : {}) };
  }
  return {
    objectIdFieldName: 'OBJECTID', uniqueIdField: { name: 'OBJECTID', isSystemMaintained: true }, globalIdFieldName: '', geometryType: 'esriGeometryPolygon',
    spatialReference: { wkid: 4326, latestWkid: 4326 }, fields: FIELDS.map(({ name, type, alias, length }) => ({ name, type, alias, ...(length ? { length } : {}) })),
    features: page.map((row) => ({ attributes: row.attributes, geometry: { rings: row.rings ?? esriRings(row.geometry) } })),
    ...(exceeded ? { exceededTransferLimit: true } : {}),
  };
}

interface ArcgisServer {
  service: string;
  requests: URL[];
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startArcgisServer(options: ServiceOptions): Promise<ArcgisServer> {
  const layers = [wardRows(options.objectId ?? ((i) => i + 1)), [lakeRow()]];
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const send = (body: unknown, type = 'application/json; charset=utf-8') => res.writeHead(200, { 'content-type': type }).end(typeof body === 'string' ? body : JSON.stringify(body));
    const path = /^\/arcgis\/rest\/services\/(\w+)\/(\w+)\/FeatureServer(?:\/(\d+))?(\/query)?$/.exec(url.pathname);
    if (!path || path[1] === 'Maintenance') return send('<html><head><title>Service unavailable</title></head><body><h1>Down for maintenance</h1></body></html>', 'text/html; charset=utf-8');
    if (path[1] === 'Private') return send(arcgisError(499, 'Token Required', []), 'text/plain; charset=utf-8');
    if (path[3] === undefined) return send(serviceJson(options));
    const rows = layers[Number(path[3])];
    if (!rows) return send(arcgisError(400, 'Invalid URL', ['Invalid URL']), 'text/plain; charset=utf-8');
    if (!path[4]) return send(layerJson(Number(path[3]), Number(path[3]) === 1 ? 'Wards with a lake' : 'Electoral wards', options));
    send(query(rows, url.searchParams, options));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { service: `http://127.0.0.1:${port}/arcgis/rest/services/Cardiff/Wards/FeatureServer`, requests };
}

const fetcher = () => createFetcher({ allowlist: ['127.0.0.1'], timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024, maxRedirects: 3 });

async function harvest(url: string, featureType: string | undefined, options: Partial<PageOptions> = {}): Promise<FeaturePage[]> {
  const pages: FeaturePage[] = [];
  for await (const page of arcgisSource.pages({ url, featureType }, fetcher(), { pageSize: 100, ...options })) pages.push(page);
  return pages;
}

const queries = (server: ArcgisServer) => server.requests.filter((url) => url.pathname.endsWith('/query')).map((url) => url.searchParams);

/** Every ward back, with its id, its attributes (dates as ISO strings) and its geometry in RFC 7946 winding. */
function expectAllWards(features: Feature[], objectId: (index: number) => number = (i) => i + 1): void {
  expect(features).toHaveLength(wards.features.length);
  const byCode = new Map(features.map((f) => [f.properties?.WD13CD, f]));
  wards.features.forEach((ward, i) => {
    const got = byCode.get(ward.properties.WD13CD)!;
    expect(got.id).toBe(objectId(i));
    expect(got.properties).toEqual({ OBJECTID: objectId(i), ...ward.properties, LAST_EDITED: new Date(lastEdited(i)).toISOString() });
    expect(got.geometry).toEqual(rewind(ward.geometry));
    expect(Math.abs(area(got as Feature<Polygon>) - area(ward)) / area(ward)).toBeLessThan(1e-9);
  });
  const adamsdown = byCode.get('W05000853')!;
  expect(adamsdown.properties).toMatchObject({ WD13NM: 'Adamsdown', LAST_EDITED: '2013-05-01T09:30:00.000Z' });
}

describe('arcgisSource.recognises', () => {
  it('knows FeatureServer and MapServer addresses under /rest/services/, whatever their case', () => {
    expect(arcgisSource.recognises(new URL('https://maps.cardiff.gov.uk/arcgis/rest/services/Wards/FeatureServer'))).toBe(true);
    expect(arcgisSource.recognises(new URL('https://services1.arcgis.com/abc/ArcGIS/REST/Services/Wards/mapserver/3/query?f=json'))).toBe(true);
    expect(arcgisSource.recognises(new URL('https://maps.cardiff.gov.uk/arcgis/rest/services/Wards/ImageServer'))).toBe(false);
    expect(arcgisSource.recognises(new URL('https://maps.cardiff.gov.uk/geoserver/wfs?service=WFS&request=GetCapabilities'))).toBe(false);
  });
});

describe('arcgisSource.describe', () => {
  it('lists the layers of a FeatureServer root, not its tables, from one request', async () => {
    const server = await startArcgisServer({ formats: 'JSON, geoJSON, PBF', pagination: true, maxRecordCount: 10 });
    const description = await arcgisSource.describe(`${server.service}/?f=pjson&token=`, fetcher());
    const { featureTypes, ...service } = description;
    expect(service).toEqual({ kind: 'arcgis', url: server.service, title: 'Cardiff electoral wards', version: '11.1', outputFormats: ['JSON', 'geoJSON', 'PBF'] });
    expect(featureTypes.map(({ bbox: _, ...type }) => type)).toEqual([
      { id: '0', title: 'Electoral wards', geometryType: 'MultiPolygon', crs: ['EPSG:3857', 'EPSG:4326'] },
      { id: '1', title: 'Wards with a lake', geometryType: 'MultiPolygon', crs: ['EPSG:3857', 'EPSG:4326'] },
    ]);
    // The root's Web Mercator extent comes back as the wards' own WGS84 bounds.
    bbox(wards).forEach((value, i) => expect(featureTypes[0]!.bbox![i]).toBeCloseTo(value, 9));
    expect(server.requests.map((url) => url.search)).toEqual(['?f=json']);
  });

  it('offers the one layer a layer address (even a /query one) points at, with its paging', async () => {
    const server = await startArcgisServer({ formats: 'JSON, geoJSON', pagination: true, maxRecordCount: 10 });
    const description = await arcgisSource.describe(`${server.service}/0/query?where=1%3D1&outFields=*`, fetcher());
    expect(description).toEqual({
      kind: 'arcgis', url: `${server.service}/0`, title: 'Electoral wards', version: '11.1', outputFormats: ['JSON', 'geoJSON'], paging: true,
      featureTypes: [{ id: '0', title: 'Electoral wards', description: 'Electoral wards as drawn in 2013.', geometryType: 'MultiPolygon', bbox: bbox(wards), crs: ['EPSG:4326'] }],
    });
    expect(server.requests.map((url) => `${url.pathname}${url.search}`)).toEqual(['/arcgis/rest/services/Cardiff/Wards/FeatureServer/0?f=json']);
  });

  it('quotes an ArcGIS error sent with HTTP 200, and says a token-only layer is not public', async () => {
    const server = await startArcgisServer({ formats: 'JSON', pagination: true, maxRecordCount: 10 });
    const missing = arcgisSource.describe(`${server.service}/9`, fetcher());
    await expect(missing).rejects.toThrow(SourceResponseError);
    await expect(missing).rejects.toThrow('/arcgis/rest/services/Cardiff/Wards/FeatureServer/9 reported ArcGIS error 400: "Invalid URL".');
    const privateUrl = server.service.replace('/Cardiff/', '/Private/');
    await expect(arcgisSource.describe(privateUrl, fetcher())).rejects.toThrow('reported ArcGIS error 499: "Token Required". The layer is not public; Haenau harvests only services that need no token.');
  });

  it('says what came back when the answer is not JSON', async () => {
    const server = await startArcgisServer({ formats: 'JSON', pagination: true, maxRecordCount: 10 });
    const down = arcgisSource.describe(server.service.replace('/Cardiff/', '/Maintenance/'), fetcher());
    await expect(down).rejects.toThrow(SourceResponseError);
    await expect(down).rejects.toThrow('sent text/html where ArcGIS JSON was expected: "Service unavailable Down for maintenance".');
  });
});

describe('arcgisSource.pages', () => {
  it('harvests every ward through f=geojson pages of maxRecordCount, ordered by object id', async () => {
    const server = await startArcgisServer({ formats: 'JSON, geoJSON, PBF', pagination: true, maxRecordCount: 10 });
    const pages = await harvest(server.service, '0');
    expect(pages.map((p) => [p.features!.length, p.srid])).toEqual([[10, 4326], [10, 4326], [9, 4326]]);
    expect(pages.every((p) => p.bytes > 1000)).toBe(true);
    expectAllWards(pages.flatMap((p) => p.features!));
    expect(queries(server).map((q) => [q.get('f'), q.get('resultOffset'), q.get('resultRecordCount'), q.get('orderByFields'), q.get('where')])).toEqual([
      ['geojson', '0', '10', 'OBJECTID ASC', '1=1'],
      ['geojson', '10', '10', 'OBJECTID ASC', '1=1'],
      ['geojson', '20', '10', 'OBJECTID ASC', '1=1'],
    ]);
  });

  it('harvests every ward through Esri JSON pages of the caller\'s smaller page size when the layer has no GeoJSON', async () => {
    const server = await startArcgisServer({ formats: 'JSON', pagination: true, maxRecordCount: 10 });
    const pages = await harvest(`${server.service}/0`, undefined, { pageSize: 8 });
    expect(pages.map((p) => p.features!.length)).toEqual([8, 8, 8, 5]);
    expectAllWards(pages.flatMap((p) => p.features!));
    expect(queries(server).map((q) => [q.get('f'), q.get('resultOffset'), q.get('resultRecordCount')])).toEqual([['json', '0', '8'], ['json', '8', '8'], ['json', '16', '8'], ['json', '24', '8']]);
  });

  it('keeps asking while exceededTransferLimit says more remain, even after a short page', async () => {
    const server = await startArcgisServer({ formats: 'JSON', pagination: true, maxRecordCount: 10, sendAtMost: 6 });
    const pages = await harvest(server.service, '0');
    expect(pages.map((p) => p.features!.length)).toEqual([6, 6, 6, 6, 5]);
    expectAllWards(pages.flatMap((p) => p.features!));
  });

  it('walks object-id ranges when the layer cannot page, finding the id field by its type', async () => {
    const objectId = (i: number) => 100 + i * 3;
    const server = await startArcgisServer({ formats: 'JSON', pagination: false, maxRecordCount: 7, objectId, omitObjectIdField: true });
    const pages = await harvest(server.service, '0');
    expect(pages.map((p) => p.features!.length)).toEqual([7, 7, 7, 7, 1]);
    expectAllWards(pages.flatMap((p) => p.features!), objectId);
    const asked = queries(server);
    expect(asked.map((q) => q.get('where'))).toEqual(['1=1', 'OBJECTID > 118', 'OBJECTID > 139', 'OBJECTID > 160', 'OBJECTID > 181']);
    expect(asked.every((q) => !q.has('resultOffset') && !q.has('resultRecordCount') && q.get('orderByFields') === 'OBJECTID ASC')).toBe(true);
  });

  it('puts a hole back into the outer ring that contains it, not the ring listed before it', async () => {
    const server = await startArcgisServer({ formats: 'JSON', pagination: true, maxRecordCount: 10 });
    const [page] = await harvest(server.service, '1');
    const lake = lakeRow();
    const [outerA, hole, outerB] = lake.rings!.map((ring) => [...ring].reverse());
    expect(page!.features).toEqual([{ type: 'Feature', id: 1, properties: lake.attributes, geometry: { type: 'MultiPolygon', coordinates: [[outerA], [outerB, hole]] } }]);
    const geometry = page!.features![0]!.geometry as Geometry;
    expect(area(geometry as MultiPolygon)).toBeCloseTo(area(wards.features[0]!) + area(wards.features[5]!) - area(turfPolygon([hole!])), 0);
  });

  it('turns an ArcGIS error inside an HTTP 200 query answer into a SourceResponseError with its message', async () => {
    const server = await startArcgisServer({ formats: 'JSON, geoJSON', pagination: true, maxRecordCount: 10, queryError: true });
    await expect(harvest(server.service, '0')).rejects.toThrow(
      new SourceResponseError(`The ArcGIS service at ${new URL(server.service).host}/arcgis/rest/services/Cardiff/Wards/FeatureServer/0/query reported ArcGIS error 400: "Unable to complete operation." (Unable to perform query operation.).`),
    );
  });

  it('stops between pages when the harvest is cancelled', async () => {
    const server = await startArcgisServer({ formats: 'JSON, geoJSON', pagination: true, maxRecordCount: 10 });
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const page of arcgisSource.pages({ url: server.service, featureType: '0' }, fetcher(), { pageSize: 100, signal: controller.signal })) {
        seen.push(page.features!.length);
        controller.abort(new Error('the publisher cancelled the harvest'));
      }
    })();
    await expect(run).rejects.toThrow('the publisher cancelled the harvest');
    expect(seen).toEqual([10]);
    expect(queries(server)).toHaveLength(1);
  });

  it('skips the download when the layer was not edited since the last harvest', async () => {
    const edited = Date.UTC(2024, 2, 14, 8, 0);
    const server = await startArcgisServer({ formats: 'JSON, geoJSON', pagination: true, maxRecordCount: 10, lastEditDate: edited });
    const validators: { lastModified?: string }[] = [];
    expect((await harvest(server.service, '0', { onValidators: (v) => validators.push(v) })).flatMap((p) => p.features)).toHaveLength(29);
    expect(validators).toEqual([{ lastModified: 'Thu, 14 Mar 2024 08:00:00 GMT' }]);
    let notModified = false;
    const again = await harvest(server.service, '0', { validators: validators[0], onNotModified: () => (notModified = true) });
    expect([again, notModified, queries(server).length]).toEqual([[], true, 3]);
  });
});
