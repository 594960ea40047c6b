import type { FeatureQuery } from '../features/feature-query';
import type { PropertyField } from '../layers/layer';
import { InvalidParameterError } from '../platform/errors';
import { CRS84, parseServedCrs, type ServedCrs } from '../platform/geo/crs';
import { integerParam, optionalString } from '../platform/http/query-params';
import { compileFilter } from '../filter/compile-filter';
import { parseCql2Json } from '../filter/cql2-json';
import { parseCql2Text } from '../filter/cql2-text';
import { FilterSyntaxError } from '../filter/filter-ast';
import type { SqlFragment } from '../platform/sql/fragment';

/** Parameters the items endpoint understands; anything else must be a queryable property. */
export const ITEMS_PARAMETERS: ReadonlySet<string> = new Set(['f', 'limit', 'offset', 'after', 'bbox', 'bbox-crs', 'crs', 'datetime', 'properties', 'filter', 'filter-lang', 'filter-crs']);

export interface ItemsLimits {
  defaultLimit: number;
  maxLimit: number;
}

/** The layer's temporal property: the first whose values are all dates or date-times. */
export function temporalProperty(schema: PropertyField[]): PropertyField | undefined {
  return schema.find((p) => p.type === 'date' || p.type === 'date-time');
}

export function parseBboxWithCrs(bboxParam: unknown, crsParam: unknown): FeatureQuery['bbox'] {
  const value = optionalString(bboxParam, 'bbox');
  if (value === undefined) return undefined;
  const crs: ServedCrs = parseServedCrs(crsParam, 'bbox-crs') ?? CRS84;
  const n = value.split(',').map((s) => Number(s.trim()));
  if ((n.length !== 4 && n.length !== 6) || n.some((x) => !Number.isFinite(x))) {
    throw new InvalidParameterError(`bbox must be 4 (or 6) numbers separated by commas; got "${value}".`);
  }
  // A 6-number bbox carries heights at positions 2 and 5; we store 2D.
  let [x1, y1, x2, y2] = n.length === 6 ? [n[0]!, n[1]!, n[3]!, n[4]!] : (n as [number, number, number, number]);
  if (crs.flipAxes) [x1, y1, x2, y2] = [y1, x1, y2, x2];
  if (y1 > y2) throw new InvalidParameterError(`bbox: the lower corner ${y1} is above the upper corner ${y2}.`);
  if (crs.srid === 4326 && (y1 < -90 || y2 > 90)) throw new InvalidParameterError('bbox latitudes must lie within −90..90.');
  return { coords: [x1, y1, x2, y2], srid: crs.srid };
}

/** "2020-01-01", "2020-01-01/2021-12-31", "../2021-01-01", "2020-01-01T00:00:00Z/.." → inclusive bounds. */
export function parseDatetime(value: string): { start?: string; end?: string } {
  const valid = (s: string) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s));
  const parts = value.split('/');
  if (parts.length === 1) {
    if (!valid(value)) throw new InvalidParameterError(`datetime "${value}" is not an RFC 3339 date or date-time.`);
    return { start: value, end: value };
  }
  if (parts.length !== 2) throw new InvalidParameterError(`datetime "${value}" must be an instant or an interval start/end.`);
  const [a, b] = parts as [string, string];
  const open = (s: string) => s === '..' || s === '';
  if ((!open(a) && !valid(a)) || (!open(b) && !valid(b)) || (open(a) && open(b))) {
    throw new InvalidParameterError(`datetime "${value}" must be an interval like 2020-01-01/2020-12-31, with ".." for an open end.`);
  }
  return { start: open(a) ? undefined : a, end: open(b) ? undefined : b };
}

function typedValue(field: PropertyField, raw: string): string | number | boolean {
  if (field.type === 'integer' || field.type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new InvalidParameterError(`${field.name} is a number; "${raw}" is not.`);
    return n;
  }
  if (field.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new InvalidParameterError(`${field.name} is true or false; "${raw}" is neither.`);
    return raw === 'true';
  }
  return raw;
}

/** filter + filter-lang + filter-crs → SQL; any problem is a 400 that says where in the filter. */
export function parseFilter(query: Record<string, unknown>, schema: PropertyField[]): SqlFragment | undefined {
  const text = optionalString(query.filter, 'filter');
  const lang = optionalString(query['filter-lang'], 'filter-lang') ?? 'cql2-text';
  if (lang !== 'cql2-text' && lang !== 'cql2-json') throw new InvalidParameterError(`filter-lang must be cql2-text or cql2-json, not "${lang}".`);
  const crs = parseServedCrs(query['filter-crs'], 'filter-crs') ?? CRS84;
  if (text === undefined) return undefined;
  try {
    return compileFilter(lang === 'cql2-json' ? parseCql2Json(text) : parseCql2Text(text), schema, crs);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new InvalidParameterError(`filter: ${err.message}.`, err.position === undefined ? {} : { position: err.position });
    throw err;
  }
}

/** Query string → FeatureQuery for one collection; 400 naming the parameter otherwise. */
export function parseItemsQuery(query: Record<string, unknown>, schema: PropertyField[], limits: ItemsLimits): FeatureQuery {
  const fields = new Map(schema.map((p) => [p.name, p]));
  const equals: FeatureQuery['equals'] = [];
  for (const [key, value] of Object.entries(query)) {
    if (ITEMS_PARAMETERS.has(key)) continue;
    const field = fields.get(key);
    if (!field) throw new InvalidParameterError(`Unknown parameter "${key}": not a query parameter of this API nor a queryable property of this collection.`);
    if (!['string', 'integer', 'number', 'boolean', 'date', 'date-time'].includes(field.type)) {
      throw new InvalidParameterError(`${key} holds ${field.type} values, which cannot be filtered by equality.`);
    }
    equals.push({ name: key, value: typedValue(field, optionalString(value, key) ?? '') });
  }
  const requested = integerParam(query.limit, 'limit', { min: 1, max: Number.MAX_SAFE_INTEGER, fallback: limits.defaultLimit });
  const datetimeParam = optionalString(query.datetime, 'datetime');
  const datetime = datetimeParam === undefined ? undefined : parseDatetime(datetimeParam);
  const temporal = temporalProperty(schema);
  const properties = optionalString(query.properties, 'properties');
  const after = optionalString(query.after, 'after');
  if (after !== undefined && !/^\d{1,10}$/.test(after)) throw new InvalidParameterError('after must be the position given in a next link.');
  return {
    bbox: parseBboxWithCrs(query.bbox, query['bbox-crs']),
    equals,
    // A collection without a temporal property has no time to filter on: datetime then selects everything.
    datetime: datetime && temporal ? { property: temporal.name, kind: temporal.type as 'date' | 'date-time', ...datetime } : undefined,
    filter: parseFilter(query, schema),
    properties: properties === undefined ? undefined : properties.split(',').map((s) => s.trim()).filter(Boolean),
    limit: Math.min(requested, limits.maxLimit),
    offset: integerParam(query.offset, 'offset', { min: 0, max: 100_000_000, fallback: 0 }),
    after: after === undefined ? undefined : Number(after),
    crs: parseServedCrs(query.crs, 'crs') ?? CRS84,
  };
}
