import { createHash } from 'node:crypto';
import type { Feature } from 'geojson';
import { crsFromMember } from '../ingest/source-crs';
import { utf8BomLength } from '../platform/utf8-bom';
import { afterRootStartTagBytes, collectGmlPage, readGmlFeatureBatches } from './gml-features';
import { type FeaturePage, featuresIn, type OfferedFeatureType, type RemoteSource, SourceResponseError } from './remote-source';
import type { Fetcher } from './safe-fetch';
import { splitGeoJsonPage } from './geojson-page';
import { decodeText, getBytes, getText, inOrder, withQuery } from './source-http';
import { type WfsCapabilities, geojsonFormat, readWfsCapabilities } from './wfs-capabilities';
import { idProperty } from './wfs-sort-key';

/** The service's base URL: the registered address without the OGC request parameters. */
function baseUrl(url: string): string {
  return withQuery(url, { service: undefined, request: undefined, version: undefined, acceptversions: undefined, typename: undefined, typenames: undefined });
}

async function capabilities(url: string, fetcher: Fetcher, signal?: AbortSignal): Promise<WfsCapabilities & { mapServer: boolean }> {
  const capsUrl = withQuery(baseUrl(url), { SERVICE: 'WFS', REQUEST: 'GetCapabilities', ACCEPTVERSIONS: '2.0.0,1.1.0' });
  const { text } = await getText(fetcher, capsUrl, 'The WFS GetCapabilities request', { signal });
  return { ...readWfsCapabilities(text, url), mapServer: MAPSERVER_NAMESPACE.test(text) };
}

/** MapServer declares its own namespace in every capabilities document it writes. */
const MAPSERVER_NAMESPACE = /\bxmlns:\w+=["']http:\/\/mapserver\.gis\.umn\.edu\/mapserver["']/;

/**
 * The OUTPUTFORMAT to ask for; undefined asks for the server's default, GML (3.2 in WFS 2.0). GeoJSON when
 * offered, except from MapServer: its GML costs it about half the time of its GeoJSON (0.42 s against 0.70 s
 * for 5,000 lines), more than Haenau's GML reader costs over GeoJSON's (bench/README.md, Harvest).
 */
function outputFormat(caps: WfsCapabilities & { mapServer: boolean }): string | undefined {
  return caps.mapServer ? undefined : geojsonFormat(caps.outputFormats);
}

/** In which CRS to ask for a feature type: British National Grid as it is stored, anything else as WGS84. */
function requestCrs(crs: string[] | undefined): number {
  return crs?.[0] === 'EPSG:27700' ? 27700 : 4326;
}

/** The first byte after a byte order mark and whitespace is "<". */
function startsLikeXml(buffer: Buffer): boolean {
  for (let i = utf8BomLength(buffer); i < buffer.length; i++) if (buffer[i]! > 0x20) return buffer[i] === 0x3c;
  return false;
}

/** Whether lon/lat positions look like lat/lon: outside the advertised WGS84 box one way round, inside it the other. */
function looksSwapped(features: Feature[], bbox: [number, number, number, number] | undefined): boolean {
  if (!bbox) return false;
  const inside = (x: number, y: number) => x >= bbox[0] - 0.01 && x <= bbox[2] + 0.01 && y >= bbox[1] - 0.01 && y <= bbox[3] + 0.01;
  const first = features.map((f) => firstPosition(f.geometry)).find((p) => p !== undefined);
  return first !== undefined && !inside(first[0]!, first[1]!) && inside(first[1]!, first[0]!);
}

function firstPosition(g: unknown): number[] | undefined {
  let c = (g as { coordinates?: unknown; geometries?: unknown[] } | null)?.coordinates;
  if (c === undefined) {
    const gs = (g as { geometries?: unknown[] } | null)?.geometries;
    return gs ? gs.map(firstPosition).find((p) => p) : undefined;
  }
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? (c as number[]) : undefined;
}

function swapAxes(g: unknown): void {
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') [c[0], c[1]] = [c[1], c[0]];
    else for (const x of c) walk(x);
  };
  const geom = g as { coordinates?: unknown; geometries?: unknown[] } | null;
  if (geom?.coordinates) walk(geom.coordinates);
  for (const x of geom?.geometries ?? []) swapAxes(x);
}

/**
 * WFS 2.0 / 1.1: GetCapabilities, then GetFeature page by page (STARTINDEX/COUNT where the server
 * pages; otherwise one request). GeoJSON output when the server offers it and writes it cheaply,
 * GML 3.1/3.2 otherwise (outputFormat).
 */
export const wfsSource: RemoteSource = {
  kind: 'wfs',

  recognises: (url) => /(^|[?&])service=wfs/i.test(url.search) || /wfs/i.test(url.pathname),

  async describe(url, fetcher) {
    const caps = await capabilities(url, fetcher);
    return { kind: 'wfs', url: baseUrl(url), title: caps.title, version: caps.version, outputFormats: caps.outputFormats, paging: caps.paging, featureTypes: caps.featureTypes };
  },

  async *pages(target, fetcher, o) {
    const caps = await capabilities(target.url, fetcher, o.signal);
    const type = caps.featureTypes.find((f) => f.id === target.featureType);
    if (!type) throw new SourceResponseError(`The WFS no longer offers "${target.featureType}"; it offers ${caps.featureTypes.map((f) => f.id).join(', ') || 'nothing'}.`);
    const v2 = caps.version.startsWith('2.');
    const json = outputFormat(caps);
    const srid = requestCrs(type.crs);
    const count = Math.min(o.pageSize, caps.countDefault ?? Infinity);
    const pages = v2 && caps.paging;
    const request = (paging: Record<string, string | number | undefined>) =>
      withQuery(baseUrl(target.url), {
        SERVICE: 'WFS',
        VERSION: v2 ? '2.0.0' : '1.1.0',
        REQUEST: 'GetFeature',
        [v2 ? 'TYPENAMES' : 'TYPENAME']: type.id,
        SRSNAME: `EPSG:${srid}`,
        ...(json ? { OUTPUTFORMAT: json } : {}),
        ...paging,
      });
    const fetchBytes = (paging: Record<string, string | number | undefined>) => getBytes(fetcher, request(paging), `GetFeature for ${type.id}`, { signal: o.signal });
    const readPage = ({ buffer, contentType }: { buffer: Buffer; contentType: string }, lazily = false): FeaturePage => {
      const bytes = buffer.length;
      // GeoJSON goes on as bytes; only GML needs the text.
      if (json && !/xml/i.test(contentType) && !startsLikeXml(buffer)) {
        const page = readJsonPage(buffer, srid);
        // The features go on as bytes unless the first one shows the axes swapped.
        const first = page.raw[0] && (JSON.parse(page.raw[0].toString('utf8')) as Feature);
        if (!(page.srid === 4326 && first && looksSwapped([first], type.bbox))) return { ...page, bytes };
        const features = page.raw.map((r) => JSON.parse(r.toString('utf8')) as Feature);
        for (const f of features) swapAxes(f.geometry);
        return { features, srid: page.srid, bytes };
      }
      const text = decodeText(buffer, contentType);
      const contentKey = afterRootStartTagBytes(buffer, text, (b) => decodeText(b, contentType));
      return { ...readGmlPage(text, srid, type.bbox, lazily), contentKey, bytes };
    };
    const fetchPage = async (paging: Record<string, string | number | undefined>) => readPage(await fetchBytes(paging));
    if (!pages) {
      yield* withoutPaging(fetchPage, await hits(fetcher, request({ RESULTTYPE: 'hits', OUTPUTFORMAT: undefined }), o.signal), caps.countDefault, type);
      return;
    }
    // Offset paging needs one order from request to request, which not every server keeps: MapServer's
    // LIMIT/OFFSET has no ORDER BY, and a parallel scan hands the same STARTINDEX different rows each
    // time. So a server that sorts is asked to, by the property its ids are made from (found on a
    // sample of three, asked for beside the hits request); the harvest refuses a copy whose unsorted
    // pages overlapped. Knowing how many there are, three pages are on their way at once. Each is read
    // only when its turn comes, so memory holds the bytes of pages in flight, not their parsed features.
    const counted = hits(fetcher, request({ RESULTTYPE: 'hits', OUTPUTFORMAT: undefined }), o.signal);
    const sortBy = caps.sorting ? idProperty(readPage(await fetchBytes({ COUNT: 3, STARTINDEX: 0 }))) : undefined;
    o.onPaging?.(sortBy ? { sortedBy: sortBy } : { unsortedBecause: caps.sorting ? 'none of its properties holds its feature ids to sort by' : 'it does not offer sorting (ImplementsSorting)' });
    const paging = (start: number) => ({ COUNT: count, STARTINDEX: start, ...(sortBy ? { SORTBY: sortBy } : {}) });
    const firstPage = fetchBytes(paging(0));
    firstPage.catch(() => {});
    const total = await counted;
    const pageAt = (start: number) => (start === 0 ? firstPage : fetchBytes(paging(start)));
    if (total !== undefined) {
      const starts = Array.from({ length: Math.max(1, Math.ceil(total / count)) }, (_, i) => i * count);
      for await (const fetched of inOrder(starts.map((start) => () => pageAt(start)), 3)) yield readPage(fetched, true);
      return;
    }
    for (let start = 0; ; ) {
      const page = readPage(await pageAt(start));
      yield page;
      start += featuresIn(page);
      if (featuresIn(page) < count || featuresIn(page) === 0) return;
    }
  },
};

/**
 * A WFS that cannot page: one request for everything, and when that stops short of the hits count
 * (the server's own limit), the type's WGS84 box is cut in four, and again, until each tile comes
 * back whole. Features on tile edges come back twice: repeats are left out by their bytes.
 */
async function* withoutPaging(fetchPage: (q: Record<string, string | number | undefined>) => Promise<FeaturePage>, total: number | undefined, countDefault: number | undefined, type: OfferedFeatureType) {
  const first = await fetchPage({});
  const got = featuresIn(first);
  if (total === undefined ? countDefault === undefined || got < countDefault : got >= total) {
    yield first;
    return;
  }
  const limit = got;
  if (!type.bbox || limit === 0) throw new SourceResponseError(`The WFS sent ${got} of ${total ?? 'more'} features of ${type.id}, cannot page, and gives no extent to fetch the rest tile by tile; Haenau will not publish a partial copy.`);
  const seen = new Set<string>();
  const fresh = (page: FeaturePage): FeaturePage => {
    const keep = <T>(items: T[], bytes: (t: T) => Buffer | string) =>
      items.filter((item) => {
        const key = createHash('sha1').update(bytes(item)).digest('base64');
        return seen.has(key) ? false : (seen.add(key), true);
      });
    return page.raw ? { ...page, raw: keep(page.raw, (r) => r) } : { ...page, features: keep(page.features ?? [], (f) => JSON.stringify(f)) };
  };
  async function* tile(b: [number, number, number, number], depth: number): AsyncGenerator<FeaturePage> {
    // EPSG:4326 as a URN is latitude first, in WFS 1.1 and 2.0 alike.
    const page = await fetchPage({ BBOX: `${b[1]},${b[0]},${b[3]},${b[2]},urn:ogc:def:crs:EPSG::4326` });
    if (featuresIn(page) < limit) return yield fresh(page);
    if (depth >= 8) throw new SourceResponseError(`A tile of ${type.id} 1/${4 ** depth} of its extent still holds ${limit} or more features, the most the WFS sends at once; Haenau will not publish a partial copy.`);
    const [x0, y0, x1, y1] = b;
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    for (const q of [[x0, y0, mx, my], [mx, y0, x1, my], [x0, my, mx, y1], [mx, my, x1, y1]] as const) yield* tile([...q], depth + 1);
  }
  // Advertised extents are often rounded: a little margin, and a count at the end, so nothing is left out unseen.
  const [x0, y0, x1, y1] = type.bbox;
  const pad = Math.max((x1 - x0) * 0.01, (y1 - y0) * 0.01, 1e-6);
  yield* tile([Math.max(x0 - pad, -180), Math.max(y0 - pad, -90), Math.min(x1 + pad, 180), Math.min(y1 + pad, 90)], 0);
  if (total !== undefined && seen.size < total) {
    throw new SourceResponseError(`Tile by tile, the WFS sent ${seen.size} of the ${total} features of ${type.id} it counts; Haenau will not publish a partial copy.`);
  }
}

/** numberMatched (2.0) or numberOfFeatures (1.1) of a RESULTTYPE=hits answer; undefined when the server does not say. */
async function hits(fetcher: Fetcher, url: string, signal?: AbortSignal): Promise<number | undefined> {
  try {
    const { text } = await getText(fetcher, url, 'The WFS hits request', { signal });
    const head = text.slice(0, 8192);
    const m = /<[\w:]*FeatureCollection\b[^>]*\b(?:numberMatched|numberOfFeatures)="(\d+)"/.exec(head) ?? /"numberMatched"\s*:\s*(\d+)/.exec(head);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function readJsonPage(body: Buffer, requested: number): { raw: Buffer[]; srid: number } {
  const { raw, members } = splitGeoJsonPage(body, 'The WFS GeoJSON');
  const declared = crsFromMember(members.crs);
  return { raw, srid: typeof declared === 'number' ? declared : requested };
}

/**
 * A GML page with its axes the right way round. Read lazily, its first batch settles the page's CRS
 * and axis order (the first located feature's, as for the whole page) and the rest is read as it is
 * asked for; when the first batch cannot settle them, the whole page is read at once.
 */
function readGmlPage(text: string, requested: number, bbox: OfferedFeatureType['bbox'], lazily: boolean): Omit<FeaturePage, 'bytes'> {
  const orient = (srid: number, features: Feature[]) => {
    const swapped = srid === 4326 && looksSwapped(features, bbox);
    return (batch: Feature[]) => {
      if (swapped) for (const f of batch) swapAxes(f.geometry);
      return batch;
    };
  };
  const batches = readGmlFeatureBatches(text, { defaultSrid: requested });
  const first = batches.next();
  if (lazily && !first.done && first.value.srid !== undefined && first.value.features.some((f) => firstPosition(f.geometry))) {
    const fix = orient(first.value.srid, first.value.features);
    const rest = function* () {
      for (let next = batches.next(); !next.done; next = batches.next()) yield fix(next.value.features);
    };
    return { features: fix(first.value.features), moreFeatures: rest(), srid: first.value.srid };
  }
  const page = collectGmlPage(batches, first);
  const srid = page.srid ?? requested;
  return { features: orient(srid, page.features)(page.features), srid };
}
