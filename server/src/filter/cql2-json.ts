import type { Geometry } from 'geojson';
import GJV from 'geojson-validation';
import { type Comparison, type Expr, FilterSyntaxError, type Scalar, SPATIAL_OPS, type Spatial, type SpatialOp } from './filter-ast';

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);

function at(path: string, message: string): never {
  throw new FilterSyntaxError(`${message} at ${path}`);
}

function args(node: Record<string, unknown>, path: string, count?: number): unknown[] {
  const a = node.args;
  if (!Array.isArray(a)) at(path, `"${String(node.op)}" needs an "args" array`);
  if (count !== undefined && a.length !== count) at(path, `"${String(node.op)}" takes ${count} arguments, not ${a.length}`);
  return a;
}

function scalar(v: unknown, path: string): Scalar {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', value: v };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.property === 'string') return { kind: 'property', name: o.property };
    if (typeof o.date === 'string' && !Number.isNaN(Date.parse(o.date))) return { kind: 'date', value: o.date };
    if (typeof o.timestamp === 'string' && !Number.isNaN(Date.parse(o.timestamp))) return { kind: 'timestamp', value: o.timestamp };
  }
  return at(path, 'expected a property reference, a string, a number, a boolean, a date or a timestamp');
}

function spatial(v: unknown, path: string): Spatial {
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.property === 'string') return { kind: 'property', name: o.property };
    if (Array.isArray(o.bbox) && (o.bbox.length === 4 || o.bbox.length === 6) && o.bbox.every((n) => typeof n === 'number')) {
      const b = o.bbox as number[];
      return { kind: 'bbox', bbox: (b.length === 6 ? [b[0], b[1], b[3], b[4]] : b) as [number, number, number, number] };
    }
    if (typeof o.type === 'string') {
      const problems = GJV.isGeometryObject(o, true);
      if (problems.length) at(path, `not a valid GeoJSON geometry: ${problems[0]}`);
      return { kind: 'geometry', geometry: o as unknown as Geometry };
    }
  }
  return at(path, 'expected a geometry property, a GeoJSON geometry or {"bbox": […]}');
}

function expr(v: unknown, path: string): Expr {
  if (typeof v === 'boolean') return { op: 'literal-boolean', value: v };
  if (!v || typeof v !== 'object' || Array.isArray(v)) at(path, 'expected an expression object with "op" and "args"');
  const node = v as Record<string, unknown>;
  const op = typeof node.op === 'string' ? node.op.toLowerCase() : at(path, 'an expression needs an "op"');
  if (op === 'and' || op === 'or') {
    const a = args(node, path);
    if (a.length < 2) at(path, `"${op}" needs at least two arguments`);
    return { op, args: a.map((x, i) => expr(x, `${path}.args[${i}]`)) };
  }
  if (op === 'not') return { op: 'not', arg: expr(args(node, path, 1)[0], `${path}.args[0]`) };
  if (COMPARISONS.has(op)) {
    const [l, r] = args(node, path, 2);
    return { op: op as Comparison, left: scalar(l, `${path}.args[0]`), right: scalar(r, `${path}.args[1]`) };
  }
  if (op === 'like') {
    const [l, p] = args(node, path, 2);
    if (typeof p !== 'string') at(`${path}.args[1]`, 'LIKE needs a string pattern');
    return { op: 'like', value: scalar(l, `${path}.args[0]`), pattern: p };
  }
  if (op === 'between') {
    const [value, low, high] = args(node, path, 3);
    return { op: 'between', value: scalar(value, `${path}.args[0]`), low: scalar(low, `${path}.args[1]`), high: scalar(high, `${path}.args[2]`) };
  }
  if (op === 'in') {
    const [value, list] = args(node, path, 2);
    if (!Array.isArray(list) || list.length === 0) at(`${path}.args[1]`, 'IN needs a non-empty array');
    return { op: 'in', value: scalar(value, `${path}.args[0]`), list: list.map((x, i) => scalar(x, `${path}.args[1][${i}]`)) };
  }
  if (op === 'isnull') return { op: 'isNull', value: scalar(args(node, path, 1)[0], `${path}.args[0]`) };
  if ((SPATIAL_OPS as readonly string[]).includes(op)) {
    const [l, r] = args(node, path, 2);
    return { op: op as SpatialOp, left: spatial(l, `${path}.args[0]`), right: spatial(r, `${path}.args[1]`) };
  }
  return at(path, `"${node.op}" is not an operator we support`);
}

/** Parses a cql2-json filter (the JSON text as sent); errors name the JSON path. */
export function parseCql2Json(text: string): Expr {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FilterSyntaxError(`the filter is not valid JSON: ${(err as Error).message}`);
  }
  return expr(value, '$');
}
