import { featureIdsCondition } from '../features/feature-sql';
import type { PropertyField } from '../layers/layer';
import type { ServedCrs } from '../platform/geo/crs';
import { joinSql, sql, type SqlFragment } from '../platform/sql/fragment';
import { type Expr, FilterSyntaxError, type Scalar, type Spatial, type SpatialOp } from './filter-ast';

/** Names a filter may use for the feature geometry. */
export const GEOMETRY_NAMES = new Set(['geometry', 'geom', 'the_geom', 'shape']);

const SPATIAL_SQL: Record<SpatialOp, string> = {
  s_intersects: 'ST_Intersects',
  s_within: 'ST_Within',
  s_contains: 'ST_Contains',
  s_disjoint: 'ST_Disjoint',
  s_equals: 'ST_Equals',
  s_touches: 'ST_Touches',
  s_crosses: 'ST_Crosses',
  s_overlaps: 'ST_Overlaps',
};

type ValueType = 'text' | 'numeric' | 'boolean' | 'date' | 'timestamptz';

const CAST: Record<string, ValueType> = {
  string: 'text',
  integer: 'numeric',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  'date-time': 'timestamptz',
};

/** A literal converted to the type it is compared as; a value that cannot be is a 400, not a database error. */
function literalAs(s: Exclude<Scalar, { kind: 'property' }>, type: ValueType): string | number | boolean {
  const v = s.value;
  const bad = (): never => {
    throw new FilterSyntaxError(`${JSON.stringify(v)} cannot be compared with a ${type === 'numeric' ? 'number' : type === 'timestamptz' ? 'date-time' : type} property`);
  };
  switch (type) {
    case 'text':
      return String(v);
    case 'numeric': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : bad();
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : bad();
    default:
      return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : bad();
  }
}

/** Compiles a parsed filter to SQL over a version table: property names and values are bindings, never text. */
export function compileFilter(e: Expr, schema: PropertyField[], filterCrs: ServedCrs): SqlFragment {
  const fields = new Map(schema.map((p) => [p.name, p]));

  const property = (name: string): { sql: SqlFragment; type: ValueType } => {
    const field = fields.get(name);
    if (!field) throw new FilterSyntaxError(`"${name}" is not a queryable property of this collection`);
    const type = CAST[field.type];
    if (!type) throw new FilterSyntaxError(`"${name}" holds ${field.type} values, which a filter cannot compare`);
    return { sql: sql(type === 'text' ? '(properties->>?)' : `(properties->>?)::${type}`, name), type };
  };

  const literalType = (s: Scalar): ValueType =>
    s.kind === 'number' ? 'numeric' : s.kind === 'boolean' ? 'boolean' : s.kind === 'date' ? 'date' : s.kind === 'timestamp' ? 'timestamptz' : 'text';

  /** A scalar as SQL; a literal takes the type of the property it is compared with, so the comparison is typed. */
  const scalar = (s: Scalar, against?: ValueType): SqlFragment => {
    if (s.kind === 'property') return property(s.name).sql;
    const type = against ?? literalType(s);
    return sql(`?::${type}`, literalAs(s, type));
  };

  const typeOf = (s: Scalar): ValueType => (s.kind === 'property' ? property(s.name).type : literalType(s));

  const pair = (a: Scalar, b: Scalar): [SqlFragment, SqlFragment] => {
    const against = a.kind === 'property' ? typeOf(a) : b.kind === 'property' ? typeOf(b) : undefined;
    return [scalar(a, against), scalar(b, against)];
  };

  const geometryOperand = (s: Spatial): SqlFragment => {
    if (s.kind === 'property') {
      if (!GEOMETRY_NAMES.has(s.name)) throw new FilterSyntaxError(`"${s.name}" is not the geometry; use "geometry"`);
      return sql('geom');
    }
    const crs = s.crs ?? filterCrs;
    const literal =
      s.kind === 'bbox'
        ? sql(`ST_MakeEnvelope(?, ?, ?, ?, ${Number(crs.srid)})`, ...(crs.flipAxes ? [s.bbox[1], s.bbox[0], s.bbox[3], s.bbox[2]] : s.bbox))
        : sql(`ST_SetSRID(ST_GeomFromGeoJSON(?), ${Number(crs.srid)})`, JSON.stringify(s.geometry));
    const xy = s.kind === 'geometry' && crs.flipAxes ? { sql: `ST_FlipCoordinates(${literal.sql})`, bindings: literal.bindings } : literal;
    return crs.srid === 4326 ? xy : { sql: `ST_Transform(${xy.sql}, 4326)`, bindings: xy.bindings };
  };

  const compile = (x: Expr): SqlFragment => {
    switch (x.op) {
      case 'and':
      case 'or': {
        const parts = joinSql(x.args.map(compile), x.op === 'and' ? ' AND ' : ' OR ');
        return { sql: `(${parts.sql})`, bindings: parts.bindings };
      }
      case 'not': {
        const inner = compile(x.arg);
        return { sql: `NOT coalesce(${inner.sql}, false)`, bindings: inner.bindings };
      }
      case 'resourceId':
        return featureIdsCondition(x.ids);
      case 'literal-boolean':
        return sql(x.value ? 'true' : 'false');
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const [l, r] = pair(x.left, x.right);
        return { sql: `${l.sql} ${x.op} ${r.sql}`, bindings: [...l.bindings, ...r.bindings] };
      }
      case 'like': {
        const v = scalar(x.value, 'text');
        return { sql: `${v.sql}::text LIKE ?`, bindings: [...v.bindings, x.pattern] };
      }
      case 'between': {
        const against = x.value.kind === 'property' ? typeOf(x.value) : undefined;
        const [v, lo, hi] = [scalar(x.value, against), scalar(x.low, against), scalar(x.high, against)];
        return { sql: `${v.sql} BETWEEN ${lo.sql} AND ${hi.sql}`, bindings: [...v.bindings, ...lo.bindings, ...hi.bindings] };
      }
      case 'in': {
        const against = x.value.kind === 'property' ? typeOf(x.value) : undefined;
        const v = scalar(x.value, against);
        const list = joinSql(x.list.map((s) => scalar(s, against)), ', ');
        return { sql: `${v.sql} IN (${list.sql})`, bindings: [...v.bindings, ...list.bindings] };
      }
      case 'isNull': {
        if (x.value.kind !== 'property') throw new FilterSyntaxError('IS NULL applies to a property');
        property(x.value.name);
        return sql("((properties->?) IS NULL OR jsonb_typeof(properties->?) = 'null')", x.value.name, x.value.name);
      }
      default: {
        const [l, r] = [geometryOperand(x.left), geometryOperand(x.right)];
        return { sql: `${SPATIAL_SQL[x.op]}(${l.sql}, ${r.sql})`, bindings: [...l.bindings, ...r.bindings] };
      }
    }
  };

  return compile(e);
}
