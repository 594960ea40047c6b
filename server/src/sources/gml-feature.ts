import type { Geometry } from 'geojson';
import type { GmlCrs, GmlCrsOptions } from './gml-crs';
import { isGmlGeometryName, readGmlGeometry } from './gml-geometry';
import { crsOf } from './gml-positions';
import { addValue, propertyContent, type PropertyTag, propertyTag, valuesObject } from './gml-properties';
import { END, type GmlScanner, START, type Step } from './gml-scanner';

/** Namespace prefixes in scope → their URIs. */
export type NamespaceScope = ReadonlyMap<string, string>;

/** What reading one page shares: the options and memos of what repeats on every feature. */
export interface PageContext {
  o: GmlCrsOptions & { defaultSrid?: number };
  crsCache: Map<string, GmlCrs>;
  /** Namespace URI → whether it is GML's own. */
  gmlUris: Map<string, boolean>;
}

/** One feature element, read: what becomes a GeoJSON Feature, and what the page needs to know. */
export interface ReadFeature {
  id: string | undefined;
  geometry: Geometry | null;
  properties: Record<string, unknown>;
  crs: GmlCrs | undefined;
  /** A property held a lone GML geometry (what makes a root element a feature). */
  hasGeometry: boolean;
  /** The srsName of the feature's own boundedBy. */
  boundedSrsName: string | undefined;
}

/** The scope inside the element step() just entered: the parent's plus its own xmlns:prefix declarations. */
export function enterScope(s: GmlScanner, parent: NamespaceScope): NamespaceScope {
  let scope: Map<string, string> | undefined;
  for (const [name, value] of s.attributes()) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      scope ??= new Map(parent);
      scope.set(name === 'xmlns' ? '' : name.slice(6), value);
    }
  }
  return scope ?? parent;
}

/** GML's own namespace (gml:name, gml:boundedBy, gml:description …), resolved through xmlns; unbound "gml:" counts too. */
function isGmlNamespace(qName: string, scope: NamespaceScope, page: PageContext): boolean {
  const colon = qName.indexOf(':');
  const prefix = colon === -1 ? '' : qName.slice(0, colon);
  const uri = scope.get(prefix);
  if (uri === undefined) return prefix === 'gml';
  let gml = page.gmlUris.get(uri);
  if (gml === undefined) page.gmlUris.set(uri, (gml = /^https?:\/\/www\.opengis\.net\/gml(\/|$)/.test(uri)));
  return gml;
}

/** The srsName of the first envelope in the boundedBy element step() just entered; consumes it. */
export function boundedBySrsName(s: GmlScanner): string | undefined {
  let srsName: string | undefined;
  while (s.step() === START) {
    srsName ??= s.attr('srsName');
    s.skip();
  }
  return srsName;
}

function inheritedCrs(srsName: string | undefined, page: PageContext): GmlCrs | undefined {
  if (srsName !== undefined) return crsOf(srsName, page);
  return page.o.defaultSrid !== undefined ? { srid: page.o.defaultSrid, swapAxes: false, dimension: 2 } : undefined;
}

/**
 * The feature element step() just entered → a GeoJSON Feature's parts; consumes it. The first property that holds
 * a lone GML geometry becomes `geometry`; further geometry properties are dropped (a GeoJSON feature has
 * one). GML's own elements (boundedBy, name, description) are not properties. `srsName` is the enclosing
 * collection's boundedBy; the feature's own boundedBy, which GML puts before its properties, overrides it.
 */
export function readFeature(s: GmlScanner, srsName: string | undefined, scope: NamespaceScope, page: PageContext): ReadFeature {
  const id = s.attr('id') ?? s.attr('fid');
  const featureScope = enterScope(s, scope);
  let boundedSrsName: string | undefined;
  let bounded = false;
  let geometry: Geometry | null = null;
  let crs: GmlCrs | undefined;
  let hasGeometry = false;
  const properties = new Map<string, unknown[]>();
  while (s.step() === START) {
    const qName = s.name;
    const gml = isGmlNamespace(qName, enterScope(s, featureScope), page);
    if (gml && !bounded && s.local === 'boundedBy') {
      bounded = true;
      boundedSrsName = boundedBySrsName(s);
      continue;
    }
    const tag = propertyTag(s);
    const mark = s.mark();
    const first = s.step();
    if (first === START && isGmlGeometryName(s.local)) {
      let read: { geometry: Geometry; crs: GmlCrs | undefined } | undefined;
      if (hasGeometry) s.skip();
      else {
        const inherited = s.attr('srsName') === undefined ? inheritedCrs(boundedSrsName ?? srsName, page) : undefined;
        read = readGmlGeometry(s, inherited, page.o, page.crsCache);
      }
      if (s.step() === END) {
        if (read) ({ geometry, crs } = read);
        hasGeometry = true;
        continue;
      }
      // Not a lone geometry after all: read the property again, as a value.
      s.reset(mark);
      propertyOrSkip(s, qName, gml, tag, s.step(), properties);
      continue;
    }
    propertyOrSkip(s, qName, gml, tag, first, properties);
  }
  return { id, geometry, properties: valuesObject(properties), crs, hasGeometry, boundedSrsName };
}

function propertyOrSkip(s: GmlScanner, qName: string, gml: boolean, tag: PropertyTag, first: Step, into: Map<string, unknown[]>): void {
  if (!gml) addValue(into, qName, propertyContent(s, tag, first));
  else if (first === START) {
    s.skip();
    while (s.step() === START) s.skip();
  }
}
