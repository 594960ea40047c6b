import type { Feature, Geometry } from 'geojson';
import { crsFromSrsName, type GmlCrs, type GmlCrsOptions } from './gml-crs';
import { isGmlGeometryName, readGmlGeometry } from './gml-geometry';
import { SourceResponseError } from './remote-source';
import {
  attr,
  childElements,
  childEntries,
  childrenNamed,
  enterScope,
  firstChild,
  isNode,
  localName,
  prefixOf,
  textOf,
  type NamespaceScope,
  type XmlNode,
} from './xml-node';
import { parseXmlSafely, rootElement, throwIfExceptionReport } from './xml-safety';

export { parseXmlSafely, XmlSafetyError } from './xml-safety';

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

const COLLECTIONS = new Set(['FeatureCollection', 'SimpleFeatureCollection']);
/** WFS 2.0 member/additionalObjects; WFS 1.0/1.1 (GML 2/3.1) featureMember and featureMembers. */
const MEMBER_WRAPPERS = ['member', 'featureMember', 'featureMembers', 'additionalObjects'];

interface FoundFeature {
  qName: string;
  node: XmlNode;
  /** srsName of the nearest enclosing collection's boundedBy. */
  srsName: string | undefined;
  scope: NamespaceScope;
}

const boundedBySrsName = (node: unknown): string | undefined =>
  childElements(firstChild(node, 'boundedBy'))
    .map(([, envelope]) => attr(envelope, 'srsName'))
    .find((s) => s !== undefined);

/** Collects feature elements through (nested) collections, flattening them; converts nothing yet. */
function collect(collection: XmlNode, inherited: string | undefined, scope: NamespaceScope, out: FoundFeature[]): void {
  const srsName = boundedBySrsName(collection) ?? inherited;
  for (const wrapper of MEMBER_WRAPPERS.flatMap((name) => childrenNamed(collection, name))) {
    const wrapperScope = enterScope(wrapper, scope);
    for (const [qName, child] of childElements(wrapper)) {
      const node = isNode(child) ? child : {};
      const childScope = enterScope(node, wrapperScope);
      if (COLLECTIONS.has(localName(qName))) collect(node, srsName, childScope, out);
      else if (localName(qName) === 'Tuple') throw new SourceResponseError('The WFS sent joined tuples (wfs:Tuple); Haenau reads one feature type per layer.');
      else out.push({ qName, node, srsName, scope: childScope });
    }
  }
}

/** GML's own namespace (gml:name, gml:boundedBy, gml:description …), resolved through xmlns; unbound "gml:" counts too. */
function isGmlNamespace(qName: string, scope: NamespaceScope): boolean {
  const uri = scope.get(prefixOf(qName));
  return uri === undefined ? prefixOf(qName) === 'gml' : /^https?:\/\/www\.opengis\.net\/gml(\/|$)/.test(uri);
}

/** The geometry element inside a property, if the property holds exactly one and it is a GML geometry. */
function geometryIn(value: unknown): [string, unknown] | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const children = childElements(first);
  const [only] = children;
  return children.length === 1 && only && isGmlGeometryName(only[0]) && isNode(only[1]) ? only : undefined;
}

// Plain decimals become numbers when a double holds them exactly enough ("42", "-3.5", "0.000",
// "3020.0000000000000000"); codes keep their text: "01", "+44", "1e3", ids beyond 2^53, >15 significant digits.
const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(?:\.(\d+))?$/;

function scalar(text: string): string | number | null {
  if (text === '') return null;
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return text;
  const digits = `${m[1]}${(m[2] ?? '').replace(/0+$/, '')}`.replace(/^0+/, '');
  const n = Number(text);
  return digits.length <= 15 ? (Object.is(n, -0) ? 0 : n) : text;
}

/** A property element's value: text → scalar, empty or xsi:nil → null, by-reference → its href, nested → object. */
function propertyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(propertyValue);
  if (!isNode(value)) return scalar(textOf(value));
  const nil = attr(value, 'nil');
  if (nil === 'true' || nil === '1') return null;
  const children = childEntries(value);
  if (children.length === 0) return value['#text'] !== undefined ? scalar(textOf(value)) : (attr(value, 'href') ?? null);
  // fromEntries defines own properties, so an element called __proto__ cannot reach a prototype.
  return Object.fromEntries(children.map(([qName, v]) => [localName(qName), propertyValue(v)]));
}

/**
 * One feature element → a GeoJSON Feature. The first geometry property becomes `geometry`; further geometry
 * properties are dropped (a GeoJSON feature has one). GML's own elements (boundedBy, name, description) are
 * not properties.
 */
function toFeature(found: FoundFeature, o: ReadGmlOptions): { feature: Feature; crs: GmlCrs | undefined } {
  const { node, scope } = found;
  const id = attr(node, 'id') ?? attr(node, 'fid');
  const srsName = boundedBySrsName(node) ?? found.srsName;
  let geometry: Geometry | null = null;
  let crs: GmlCrs | undefined;
  let geometrySeen = false;
  const properties: Array<[string, unknown]> = [];
  for (const [qName, value] of childEntries(node)) {
    const inner = geometryIn(value);
    if (inner) {
      if (!geometrySeen) {
        const inherited = attr(inner[1], 'srsName') === undefined ? inheritedCrs(srsName, o) : undefined;
        ({ geometry, crs } = readGmlGeometry(inner[0], inner[1], inherited, o));
        geometrySeen = true;
      }
    } else if (!isGmlNamespace(qName, enterScope(value, scope))) {
      properties.push([localName(qName), propertyValue(value)]);
    }
  }
  // A null geometry is valid GeoJSON; @types/geojson's default Feature does not admit it (as in esri-json.ts).
  const feature = { type: 'Feature', ...(id !== undefined ? { id } : {}), geometry, properties: Object.fromEntries(properties) } as Feature;
  return { feature, crs };
}

function inheritedCrs(srsName: string | undefined, o: ReadGmlOptions): GmlCrs | undefined {
  if (srsName !== undefined) return crsFromSrsName(srsName, o);
  return o.defaultSrid !== undefined ? { srid: o.defaultSrid, swapAxes: false, dimension: 2 } : undefined;
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** The features a response holds: a collection's members, or the root itself when it is a lone feature (GetFeatureById). */
function findFeatures(qName: string, root: XmlNode): FoundFeature[] {
  const scope = enterScope(root, new Map());
  const found: FoundFeature[] = [];
  if (COLLECTIONS.has(localName(qName))) collect(root, undefined, scope, found);
  else if (attr(root, 'id') !== undefined || attr(root, 'fid') !== undefined || childEntries(root).some(([, v]) => geometryIn(v)))
    found.push({ qName, node: root, srsName: undefined, scope });
  else throw new SourceResponseError(`The WFS answered with <${qName}> where a feature collection was expected.`);
  return found;
}

/** The page's SRID: every geometry's must agree; with none, the collection's boundedBy, then defaultSrid. */
function pageSrid(features: Array<{ feature: Feature; crs: GmlCrs | undefined }>, root: XmlNode, o: ReadGmlOptions): number | undefined {
  let first: { srid: number; id: unknown } | undefined;
  for (const { feature, crs } of features) {
    if (!crs) continue;
    if (!first) first = { srid: crs.srid, id: feature.id };
    else if (first.srid !== crs.srid)
      throw new SourceResponseError(
        `The WFS sent features in two coordinate reference systems, EPSG:${first.srid} (feature ${JSON.stringify(first.id ?? null)}) and EPSG:${crs.srid} (feature ${JSON.stringify(feature.id ?? null)}); Haenau reads one per page.`,
      );
  }
  if (first) return first.srid;
  const srsName = boundedBySrsName(root);
  try {
    return srsName !== undefined ? crsFromSrsName(srsName, o).srid : o.defaultSrid;
  } catch {
    return o.defaultSrid;
  }
}

/**
 * Reads a WFS GetFeature response in GML 2, 3.1.1 or 3.2 (WFS 1.0, 1.1 or 2.0) into GeoJSON features.
 * Refuses DTDs (XmlSafetyError), reports exception reports in the server's words and throws
 * SourceResponseError on anything else it cannot read, rather than guessing.
 */
export function readGmlFeatures(xml: string, o: ReadGmlOptions = {}): GmlPage {
  const doc = parseXmlSafely(xml, { keepPrefixes: true });
  throwIfExceptionReport(doc);
  const [qName, root] = rootElement(doc);
  const found = findFeatures(qName, root);
  if (o.maxFeatures !== undefined && found.length > o.maxFeatures)
    throw new SourceResponseError(`The WFS sent ${found.length} features in one page; Haenau accepts at most ${o.maxFeatures}.`);
  const read = found.map((f) => toFeature(f, o));
  const matched = attr(root, 'numberMatched');
  const page: GmlPage = { features: read.map((r) => r.feature), srid: pageSrid(read, root, o) };
  const numberMatched = matched?.trim() === 'unknown' ? 'unknown' : count(matched);
  if (numberMatched !== undefined) page.numberMatched = numberMatched;
  const returned = count(attr(root, 'numberReturned') ?? attr(root, 'numberOfFeatures'));
  if (returned !== undefined) page.numberReturned = returned;
  const next = attr(root, 'next');
  if (next) page.next = next;
  return page;
}
