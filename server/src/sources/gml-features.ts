import type { Feature } from 'geojson';
import { utf8BomLength } from '../platform/utf8-bom';
import type { GmlCrsOptions } from './gml-crs';
import { boundedBySrsName, enterScope, type NamespaceScope, type PageContext, type ReadFeature, readFeature } from './gml-feature';
import { crsOf } from './gml-positions';
import { GmlScanner, START } from './gml-scanner';
import { SourceResponseError } from './remote-source';
import { parseXmlSafely, ServiceExceptionError, throwIfExceptionReport, XmlSafetyError } from './xml-safety';

export { parseXmlSafely, XmlSafetyError };

/** One GetFeature response read into GeoJSON; coordinates are x/y (east/north, lon/lat) in `srid`. */
export interface GmlPage {
  features: Feature[];
  /** The page's EPSG code, from the geometries' srsName, else a boundedBy, else defaultSrid. */
  srid: number | undefined;
  /** WFS 2.0 numberMatched: the total the query matches, or 'unknown'. */
  numberMatched?: number | 'unknown';
  /** WFS 2.0 numberReturned (1.1 numberOfFeatures) as the server wrote it; features.length is what arrived (deegree writes 0). */
  numberReturned?: number;
  /** WFS 2.0 `next` link: the URL of the following page. */
  next?: string;
}

export interface ReadGmlOptions extends GmlCrsOptions {
  /** EPSG code for geometries when neither they nor any boundedBy name a srsName; their x/y are taken as given. */
  defaultSrid?: number;
  /** A page with more features than this is refused. */
  maxFeatures?: number;
}

/** Features handed on at a time: few enough that they are checked and gone before a collection of the young generation. */
const BATCH = 256;

/** Features read so far, and the page's CRS once a feature has named it. */
export interface GmlBatch {
  features: Feature[];
  srid: number | undefined;
}

const COLLECTIONS = new Set(['FeatureCollection', 'SimpleFeatureCollection']);
/** WFS 2.0 member/additionalObjects; WFS 1.0/1.1 (GML 2/3.1) featureMember and featureMembers. */
const MEMBER_WRAPPERS = new Set(['member', 'featureMember', 'featureMembers', 'additionalObjects']);

// A null geometry is valid GeoJSON; @types/geojson's default Feature does not admit it (as in esri-json.ts).
const toFeature = ({ id, geometry, properties }: ReadFeature): Feature =>
  ({ type: 'Feature', ...(id !== undefined ? { id } : {}), geometry, properties }) as Feature;

/** The features read so far, in document order, and the one CRS they must share. */
class PageFeatures {
  features: Feature[] = [];
  count = 0;
  private first: { srid: number; id: unknown } | undefined;

  constructor(readonly page: PageContext, private readonly maxFeatures: number | undefined) {}

  /** Reads the feature element the scanner just entered, or past the limit only counts it. */
  read(s: GmlScanner, srsName: string | undefined, scope: NamespaceScope): void {
    if (++this.count > (this.maxFeatures ?? Infinity)) return s.skip();
    this.add(readFeature(s, srsName, scope, this.page));
  }

  add(read: ReadFeature): void {
    this.features.push(toFeature(read));
    const { crs, id } = read;
    if (!crs) return;
    if (!this.first) this.first = { srid: crs.srid, id };
    else if (this.first.srid !== crs.srid)
      throw new SourceResponseError(
        `The WFS sent features in two coordinate reference systems, EPSG:${this.first.srid} (feature ${JSON.stringify(this.first.id ?? null)}) and EPSG:${crs.srid} (feature ${JSON.stringify(id ?? null)}); Haenau reads one per page.`,
      );
  }

  /** The features read since the last batch. */
  take(): GmlBatch {
    const features = this.features;
    this.features = [];
    return { features, srid: this.first?.srid };
  }

  /** Every geometry's SRID (they agree); with none, the root's boundedBy, then defaultSrid. */
  srid(rootSrsName: string | undefined): number | undefined {
    if (this.first) return this.first.srid;
    const fallback = this.page.o.defaultSrid;
    try {
      return rootSrsName !== undefined ? crsOf(rootSrsName, this.page).srid : fallback;
    } catch {
      return fallback;
    }
  }
}

/**
 * The collection element the scanner just entered: its members' features, flattening nested collections,
 * with the collection's boundedBy srsName (GML puts boundedBy before the members). Returns that srsName.
 */
function* readCollection(s: GmlScanner, inherited: string | undefined, scope: NamespaceScope, out: PageFeatures): Generator<GmlBatch, string | undefined> {
  let own: string | undefined;
  let bounded = false;
  while (s.step() === START) {
    if (s.local === 'boundedBy' && !bounded) {
      bounded = true;
      own = boundedBySrsName(s);
    } else if (MEMBER_WRAPPERS.has(s.local)) {
      const wrapperScope = enterScope(s, scope);
      while (s.step() === START) {
        const childScope = enterScope(s, wrapperScope);
        if (COLLECTIONS.has(s.local)) yield* readCollection(s, own ?? inherited, childScope, out);
        else if (s.local === 'Tuple') throw new SourceResponseError('The WFS sent joined tuples (wfs:Tuple); Haenau reads one feature type per layer.');
        else {
          out.read(s, own ?? inherited, childScope);
          if (out.features.length >= BATCH) yield out.take();
        }
      }
    } else s.skip();
  }
  return own;
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** The counts and next link on the root element the scanner just entered. */
function rootCounts(s: GmlScanner): Omit<GmlPage, 'features' | 'srid'> {
  const counts: Omit<GmlPage, 'features' | 'srid'> = {};
  const matched = s.attr('numberMatched');
  const numberMatched = matched?.trim() === 'unknown' ? 'unknown' : count(matched);
  if (numberMatched !== undefined) counts.numberMatched = numberMatched;
  const returned = count(s.attr('numberReturned') ?? s.attr('numberOfFeatures'));
  if (returned !== undefined) counts.numberReturned = returned;
  const next = s.attr('next');
  if (next) counts.next = next;
  return counts;
}

/** The root is a lone feature (GetFeatureById) when it has an id or a geometry property; anything else is not a WFS answer. */
function readLoneFeature(s: GmlScanner, scope: NamespaceScope, out: PageFeatures): string | undefined {
  const qName = s.name;
  const hasId = s.attr('id') !== undefined || s.attr('fid') !== undefined;
  const read = readFeature(s, undefined, scope, out.page);
  if (!hasId && !read.hasGeometry) throw new SourceResponseError(`The WFS answered with <${qName}> where a feature collection was expected.`);
  out.count++;
  out.add(read);
  return read.boundedSrsName;
}

/**
 * Reads a WFS GetFeature response in GML 2, 3.1.1 or 3.2 (WFS 1.0, 1.1 or 2.0) into GeoJSON features, in
 * one pass over the text with no document tree (gml-scanner.ts). Refuses DTDs (XmlSafetyError), reports
 * exception reports in the server's words and throws SourceResponseError on anything else it cannot read,
 * rather than guessing.
 */
export function readGmlFeatures(xml: string, o: ReadGmlOptions = {}): GmlPage {
  return collectGmlPage(readGmlFeatureBatches(xml, o));
}

/** The rest of a page's batches as one page, `first` being a batch already taken from them. */
export function collectGmlPage(batches: ReturnType<typeof readGmlFeatureBatches>, first = batches.next()): GmlPage {
  const features: Feature[] = [];
  let next = first;
  for (; !next.done; next = batches.next()) for (const f of next.value.features) features.push(f);
  return { features, ...next.value };
}

/**
 * readGmlFeatures a few hundred features at a time, reading on only when asked: a harvest checks each
 * batch before the next is read, so a 5,000-feature page is never held parsed all at once.
 */
export function* readGmlFeatureBatches(xml: string, o: ReadGmlOptions = {}): Generator<GmlBatch, Omit<GmlPage, 'features'>> {
  const s = new GmlScanner(xml);
  try {
    return yield* readRoot(s, o);
  } catch (err) {
    if (!(err instanceof XmlSafetyError) && !(err instanceof ServiceExceptionError)) s.assertWellFormed();
    throw err;
  }
}

function* readRoot(s: GmlScanner, o: ReadGmlOptions): Generator<GmlBatch, Omit<GmlPage, 'features'>> {
  s.step();
  if (s.local === 'ExceptionReport' || s.local === 'ServiceExceptionReport') {
    // Small and rare: the tree reader quotes the server's words as every other XML reader does.
    throwIfExceptionReport(parseXmlSafely(s.xml, { keepPrefixes: true }));
  }
  const counts = rootCounts(s);
  const scope = enterScope(s, new Map());
  const out = new PageFeatures({ o, crsCache: new Map(), gmlUris: new Map() }, o.maxFeatures);
  const rootSrsName = COLLECTIONS.has(s.local) ? yield* readCollection(s, undefined, scope, out) : readLoneFeature(s, scope, out);
  s.finish();
  if (o.maxFeatures !== undefined && out.count > o.maxFeatures)
    throw new SourceResponseError(`The WFS sent ${out.count} features in one page; Haenau accepts at most ${o.maxFeatures}.`);
  if (out.features.length > 0) yield out.take();
  return { srid: out.srid(rootSrsName), ...counts };
}

/**
 * The response's text after its root start tag: it changes only when the features do, unlike the
 * root's own attributes (a WFS stamps each response with the time it was made).
 */
export function afterRootStartTag(text: string): string {
  return text.slice(rootStartTagEnd(text));
}

function rootStartTagEnd(text: string): number {
  const s = new GmlScanner(text);
  s.step();
  return s.pos;
}

/**
 * afterRootStartTag as the page's own bytes when they line up with its text (UTF-8, with or without
 * a byte order mark): the same bytes the text would encode to, hashed without encoding 6 MB of text
 * again. Otherwise (another charset) the text.
 */
export function afterRootStartTagBytes(buffer: Buffer, text: string, decode: (b: Buffer) => string): Uint8Array | string {
  const prefix = text.slice(0, rootStartTagEnd(text));
  const offset = utf8BomLength(buffer) + Buffer.byteLength(prefix, 'utf8');
  return offset <= buffer.length && decode(buffer.subarray(0, offset)) === prefix ? buffer.subarray(offset) : text.slice(prefix.length);
}
