import type { OfferedFeatureType } from './remote-source';
import { SourceResponseError } from './remote-source';
import { list, textOf, type XmlNode } from './xml-node';
import { parseXmlSafely, throwIfExceptionReport } from './xml-safety';

export interface WfsCapabilities {
  version: string;
  title?: string;
  featureTypes: OfferedFeatureType[];
  outputFormats: string[];
  /** WFS 2.0 ImplementsResultPaging (or a server that lists STARTINDEX support). */
  paging: boolean;
  /** Most features the server returns to one GetFeature (CountDefault), when it says. */
  countDefault?: number;
  /** FES 2.0 ImplementsSorting: GetFeature takes SORTBY, which keeps pages from overlapping. */
  sorting: boolean;
}

// Names that repeat must come back as arrays even when there is one of them.
const LISTS = new Set(['FeatureType', 'OtherCRS', 'OtherSRS', 'SRS', 'Format', 'Operation', 'Parameter', 'Value', 'Constraint', 'Keyword']);

type Node = XmlNode;
const text = (v: unknown): string | undefined => (Array.isArray(v) ? undefined : textOf(v).trim() || undefined);

const crsName = (v: string | undefined) => {
  if (!v) return undefined;
  const m = /EPSG(?::|::|\/0\/|\.xml#)(\d+)$/i.exec(v.trim()) ?? /EPSG:\d*:?(\d+)$/i.exec(v.trim());
  if (m) return `EPSG:${m[1]}`;
  return /CRS84/i.test(v) ? 'OGC:CRS84' : v.trim();
};

function bboxOf(ft: Node): [number, number, number, number] | undefined {
  const wgs = list(ft.WGS84BoundingBox)[0] as Node | undefined;
  if (wgs) {
    const lo = text(wgs.LowerCorner)?.split(/\s+/).map(Number);
    const hi = text(wgs.UpperCorner)?.split(/\s+/).map(Number);
    if (lo?.length === 2 && hi?.length === 2 && [...lo, ...hi].every(Number.isFinite)) return [lo[0]!, lo[1]!, hi[0]!, hi[1]!];
  }
  const ll = ft.LatLongBoundingBox as Node | undefined; // WFS 1.0
  if (ll) {
    const b = ['@minx', '@miny', '@maxx', '@maxy'].map((k) => Number(ll[k]));
    if (b.every(Number.isFinite)) return b as [number, number, number, number];
  }
  return undefined;
}

function operation(doc: Node, name: string): Node | undefined {
  const ops = list((doc.OperationsMetadata as Node | undefined)?.Operation) as Node[];
  return ops.find((o) => o['@name'] === name);
}

function allowedValues(param: Node | undefined): string[] {
  if (!param) return [];
  const allowed = param.AllowedValues as Node | undefined;
  return list(allowed ? allowed.Value : param.Value).map(text).filter((v): v is string => v !== undefined);
}

const constraint = (nodes: unknown, name: string) => {
  const c = (list(nodes) as Node[]).find((n) => n['@name'] === name);
  return c ? (text(c.DefaultValue) ?? allowedValues(c)[0]) : undefined;
};

/** Reads a WFS 1.0 / 1.1 / 2.0 GetCapabilities document. Throws SourceResponseError for anything else. */
export function readWfsCapabilities(xml: string, url: string): WfsCapabilities {
  const doc = parseXmlSafely(xml, { isArray: (name) => LISTS.has(name) }) as Node;
  throwIfExceptionReport(doc);
  const caps = doc.WFS_Capabilities as Node | undefined;
  if (!caps) throw new SourceResponseError(`${url} did not answer with WFS capabilities (its document starts with <${Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'nothing'}>).`);
  const version = String(caps['@version'] ?? '1.0.0');
  const getFeature = operation(caps, 'GetFeature');
  const params = list(getFeature?.Parameter) as Node[];
  const outputFormats = new Set(allowedValues(params.find((p) => String(p['@name']).toLowerCase() === 'outputformat')));
  const featureTypes = (list((caps.FeatureTypeList as Node | undefined)?.FeatureType) as Node[]).map((ft) => {
    for (const f of list((ft.OutputFormats as Node | undefined)?.Format)) if (text(f)) outputFormats.add(text(f)!);
    const crs = [text(ft.DefaultCRS) ?? text(ft.DefaultSRS) ?? text(list(ft.SRS)[0]), ...list(ft.OtherCRS ?? ft.OtherSRS).map(text)]
      .map(crsName)
      .filter((c): c is string => c !== undefined);
    const bbox = bboxOf(ft);
    return { id: text(ft.Name) ?? '', title: text(ft.Title), description: text(ft.Abstract), crs: [...new Set(crs)], ...(bbox ? { bbox } : {}) };
  });
  const opsConstraints = (caps.OperationsMetadata as Node | undefined)?.Constraint;
  const paging = (constraint(opsConstraints, 'ImplementsResultPaging') ?? constraint(getFeature?.Constraint, 'ImplementsResultPaging'))?.toUpperCase() === 'TRUE';
  // TRUE, or (GeoServer) the directions it sorts in.
  const filterConformance = (caps.Filter_Capabilities as Node | undefined)?.Conformance as Node | undefined;
  const sortingValue = constraint(filterConformance?.Constraint, 'ImplementsSorting');
  const countDefault = Number(constraint(opsConstraints, 'CountDefault') ?? constraint(getFeature?.Constraint, 'CountDefault'));
  return {
    version,
    title: text((caps.ServiceIdentification as Node | undefined)?.Title) ?? text((caps.Service as Node | undefined)?.Title),
    featureTypes: featureTypes.filter((f) => f.id !== ''),
    outputFormats: [...outputFormats],
    paging,
    sorting: sortingValue !== undefined && sortingValue.toUpperCase() !== 'FALSE',
    ...(Number.isFinite(countDefault) && countDefault > 0 ? { countDefault } : {}),
  };
}

/** The GeoJSON output format a WFS offers, if any. */
export function geojsonFormat(formats: string[]): string | undefined {
  return formats.find((f) => /^application\/(geo\+)?json/i.test(f) && !/subtype=(gml|xml)/i.test(f)) ?? formats.find((f) => /^(geo)?json$/i.test(f));
}
