import type { Geometry, Position } from 'geojson';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Comparison, type Expr, FilterSyntaxError, type Scalar, type Spatial, type SpatialOp } from '../filter/filter-ast';
import { EPSG_4326, type ServedCrs } from '../platform/geo/crs';
import { parseWfsCrs, typeNameToSlug } from './wfs-names';

type Node = Record<string, unknown>;

// Entities are never expanded and a DOCTYPE is refused: a filter cannot make the parser do unbounded work.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false, parseTagValue: false, trimValues: true });

const COMPARISONS: Record<string, Comparison> = {
  PropertyIsEqualTo: '=',
  PropertyIsNotEqualTo: '<>',
  PropertyIsLessThan: '<',
  PropertyIsLessThanOrEqualTo: '<=',
  PropertyIsGreaterThan: '>',
  PropertyIsGreaterThanOrEqualTo: '>=',
};
const SPATIAL: Record<string, SpatialOp> = {
  Intersects: 's_intersects',
  Within: 's_within',
  Contains: 's_contains',
  Disjoint: 's_disjoint',
  Equals: 's_equals',
  Touches: 's_touches',
  Crosses: 's_crosses',
  Overlaps: 's_overlaps',
};

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? ''));

/** Child operators of a node: every element child, in document order where it matters (And/Or does not). */
function operators(node: Node): Array<[string, Node]> {
  return Object.entries(node)
    .filter(([k]) => !k.startsWith('@') && k !== '#text')
    .flatMap(([k, v]) => list(v).map((child) => [k, (child ?? {}) as Node] as [string, Node]));
}

function valueReference(node: Node): Scalar {
  const ref = node.ValueReference ?? node.PropertyName;
  if (ref === undefined) throw new FilterSyntaxError('a comparison needs a ValueReference');
  return { kind: 'property', name: typeNameToSlug(text(ref).replace(/^.*\//, '')) };
}

function literal(node: Node): Scalar {
  if (node.Literal === undefined) throw new FilterSyntaxError('a comparison needs a Literal');
  return { kind: 'string', value: text(node.Literal) };
}

/** A PropertyIsLike pattern in FES wildcards → a SQL LIKE pattern (backslash escapes). */
function likePattern(node: Node): string {
  const wild = String(node['@wildCard'] ?? '*');
  const single = String(node['@singleChar'] ?? '.');
  const escape = String(node['@escapeChar'] ?? node['@escape'] ?? '!');
  const source = text(node.Literal);
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === escape && i + 1 < source.length) out += source[++i]!.replace(/[%_\\]/g, '\\$&');
    else if (ch === wild) out += '%';
    else if (ch === single) out += '_';
    else out += ch.replace(/[%_\\]/g, '\\$&');
  }
  return out;
}

function positions(s: string, crs: ServedCrs): Position[] {
  const n = s.trim().split(/\s+/).map(Number);
  if (n.length % 2 !== 0 || n.some((x) => !Number.isFinite(x))) throw new FilterSyntaxError(`"${s}" is not a list of coordinate pairs`);
  const out: Position[] = [];
  for (let i = 0; i < n.length; i += 2) out.push(crs.flipAxes ? [n[i + 1]!, n[i]!] : [n[i]!, n[i + 1]!]);
  return out;
}

function ring(node: Node, crs: ServedCrs): Position[] {
  const lr = (node.LinearRing ?? {}) as Node;
  if (lr.posList !== undefined) return positions(text(lr.posList), crs);
  return list(lr.pos).flatMap((p) => positions(text(p), crs));
}

/** The GML geometries QGIS and GDAL put in filters → GeoJSON in x,y order, and the CRS they are in. */
function gmlGeometry(node: Node): Spatial {
  const [[name, g] = ['', {}]] = operators(node).filter(([k]) => k !== 'ValueReference' && k !== 'PropertyName');
  const crs = g['@srsName'] ? parseWfsCrs(String(g['@srsName']), 'FILTER') : EPSG_4326;
  const xy = (geometry: Geometry): Spatial => ({ kind: 'geometry', geometry, crs: { ...crs, flipAxes: false } });
  switch (name) {
    case 'Envelope': {
      const [x1, y1] = positions(text(g.lowerCorner), crs)[0]!;
      const [x2, y2] = positions(text(g.upperCorner), crs)[0]!;
      return { kind: 'bbox', bbox: [x1!, y1!, x2!, y2!], crs: { ...crs, flipAxes: false } };
    }
    case 'Point':
      return xy({ type: 'Point', coordinates: positions(text(g.pos), crs)[0]! });
    case 'LineString':
      return xy({ type: 'LineString', coordinates: g.posList !== undefined ? positions(text(g.posList), crs) : list(g.pos).flatMap((p) => positions(text(p), crs)) });
    case 'Polygon':
      return xy({ type: 'Polygon', coordinates: [ring(g.exterior as Node, crs), ...list(g.interior).map((i) => ring(i as Node, crs))] });
    default:
      throw new FilterSyntaxError(`the geometry ${name || '(none)'} is not supported in filters; use Envelope, Point, LineString or Polygon`);
  }
}

function expr(name: string, node: Node): Expr {
  if (name === 'And' || name === 'Or') {
    const args = operators(node).map(([k, v]) => expr(k, v));
    if (args.length < 2) throw new FilterSyntaxError(`${name} needs at least two operands`);
    return { op: name === 'And' ? 'and' : 'or', args };
  }
  if (name === 'Not') {
    const [child] = operators(node);
    if (!child) throw new FilterSyntaxError('Not needs an operand');
    return { op: 'not', arg: expr(child[0], child[1]) };
  }
  const comparison = COMPARISONS[name];
  if (comparison) return { op: comparison, left: valueReference(node), right: literal(node) };
  if (name === 'PropertyIsLike') return { op: 'like', value: valueReference(node), pattern: likePattern(node) };
  if (name === 'PropertyIsNull') return { op: 'isNull', value: valueReference(node) };
  if (name === 'PropertyIsBetween') {
    return { op: 'between', value: valueReference(node), low: literal((node.LowerBoundary ?? {}) as Node), high: literal((node.UpperBoundary ?? {}) as Node) };
  }
  if (name === 'BBOX') return { op: 's_intersects', left: { kind: 'property', name: 'geometry' }, right: gmlGeometry(node) };
  const spatial = SPATIAL[name];
  if (spatial) return { op: spatial, left: { kind: 'property', name: 'geometry' }, right: gmlGeometry(node) };
  if (name === 'ResourceId' || name === 'FeatureId' || name === 'GmlObjectId') {
    const id = String(node['@rid'] ?? node['@fid'] ?? node['@id'] ?? '');
    return { op: 'resourceId', ids: [id.replace(/^[^.]*\./, '')] };
  }
  throw new FilterSyntaxError(`the filter operator ${name} is not supported`);
}

/** An FES 2.0 (or 1.1) Filter document → a filter expression. Several ResourceIds are one id list. */
export function parseFesFilter(xml: string): Expr {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new FilterSyntaxError('a filter may not declare a DOCTYPE or entities');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new FilterSyntaxError(`the filter is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const filter = doc.Filter as Node | undefined;
  if (!filter || typeof filter !== 'object') throw new FilterSyntaxError('the FILTER must be a fes:Filter element');
  const ops = operators(filter);
  if (ops.length === 0) throw new FilterSyntaxError('the Filter is empty');
  if (ops.every(([k]) => k === 'ResourceId' || k === 'FeatureId' || k === 'GmlObjectId')) {
    return { op: 'resourceId', ids: ops.flatMap(([k, v]) => (expr(k, v) as { ids: string[] }).ids) };
  }
  if (ops.length > 1) throw new FilterSyntaxError('a Filter holds one operator; combine several with And or Or');
  return expr(ops[0]![0], ops[0]![1]);
}
