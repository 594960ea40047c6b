import { CRS84, type ServedCrs } from '../platform/geo/crs';
import { joinSql, sql, type SqlFragment } from '../platform/sql/fragment';
import type { FeatureQuery } from './feature-query';

/** The stored geometry in the output CRS and axis order. */
export function outputGeometry(crs: ServedCrs): string {
  const g = crs.srid === 4326 ? 'geom' : `ST_Transform(geom, ${Number(crs.srid)})`;
  return crs.flipAxes ? `ST_FlipCoordinates(${g})` : g;
}

/** Properties as JSON text: all of them, or only the names asked for (bound, never spliced). */
function propertiesJson(q: Pick<FeatureQuery, 'properties'>): SqlFragment {
  if (!q.properties) return sql('properties::text');
  if (q.properties.length === 0) return sql("'{}'");
  return sql(`(SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb) FROM jsonb_each(properties) WHERE key = ANY(?))::text`, q.properties);
}

/** Whether features written in `crs` come out as CRS84's: lon/lat, as many decimals (WFS GeoJSON in EPSG:4326 does). */
const writtenAsCrs84 = (crs: ServedCrs) => crs.srid === CRS84.srid && crs.flipAxes === CRS84.flipAxes && crs.decimals === CRS84.decimals;

/**
 * One GeoJSON Feature as text, built by string concatenation in PostgreSQL: cheaper than
 * json_build_object, and Node only has to join the rows. A version rewritten for serving already
 * holds this text for CRS84 with every property (the common page), built by this same expression.
 */
export function featureJson(q: Pick<FeatureQuery, 'crs' | 'properties' | 'prerendered'>): SqlFragment {
  if (q.prerendered && !q.properties && writtenAsCrs84(q.crs)) return sql('geojson');
  const props = propertiesJson(q);
  return {
    sql: `'{"type":"Feature","id":' || coalesce(to_json(feature_id)::text, fid::text)
      || ',"geometry":' || coalesce(ST_AsGeoJSON(${outputGeometry(q.crs)}, ${Number(q.crs.decimals)}, 0), 'null')
      || ',"properties":' || ${props.sql} || '}'`,
    bindings: props.bindings,
  };
}

/**
 * The envelope in the storage CRS: transform the box once, so the GiST index on geom is used.
 * ST_Intersects brings its own index test (`&&`); spelling that out beside it made the planner
 * square its estimate (43 rows for 6,000) and pick the wrong plan. A point meets a lon/lat box
 * exactly when it is inside the box's bounds, so for point layers the box test is the whole answer.
 * For other layers in a lon/lat box, a feature whose own bounds lie inside the box meets it too:
 * only the rest go through GEOS (converting each polygon cost ~5 µs, a fifth of a 1,000-polygon
 * page). Written as a CASE, which the planner counts as one half rather than as a second box test.
 */
export function bboxCondition(bbox: NonNullable<FeatureQuery['bbox']>): SqlFragment {
  const c = bbox.coords;
  if (bbox.srid === 4326) {
    const box = 'ST_MakeEnvelope(?, ?, ?, ?, 4326)';
    if (bbox.pointsOnly) return sql(`geom && ${box}`, ...c);
    return sql(`geom && ${box} AND CASE WHEN geom @ ${box} THEN true ELSE ST_Intersects(geom, ${box}) END`, ...c, ...c, ...c);
  }
  // A box in another CRS is no longer a rectangle in lon/lat: its bounds say nothing about meeting it.
  return sql(`ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, ${Number(bbox.srid)}), 4326))`, ...c);
}

/** property = value with the value's JSON type, as jsonb containment (one bound JSON document). */
export function equalsCondition(e: FeatureQuery['equals'][number]): SqlFragment {
  return sql('properties @> ?::jsonb', JSON.stringify({ [e.name]: e.value }));
}

export function datetimeCondition(d: NonNullable<FeatureQuery['datetime']>): SqlFragment {
  const cast = d.kind === 'date' ? 'date' : 'timestamptz';
  const value = `(properties->>?)::${cast}`;
  const parts: SqlFragment[] = [sql('jsonb_exists(properties, ?)', d.property)];
  if (d.start !== undefined) parts.push(sql(`${value} >= ?::${cast}`, d.property, d.start));
  if (d.end !== undefined) parts.push(sql(`${value} <= ?::${cast}`, d.property, d.end));
  return joinSql(parts, ' AND ');
}

/**
 * Rows whose OGC feature id is one of `ids`: the publisher's id, or for features that had none,
 * the row's fid (which is then what the API calls the feature).
 */
export function featureIdsCondition(ids: readonly string[]): SqlFragment {
  return sql('(feature_id = ANY(?) OR (feature_id IS NULL AND fid = ANY(?)))', ids, ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number));
}

export function whereClause(q: FeatureQuery, withKeyset = true): SqlFragment {
  const parts: SqlFragment[] = [];
  if (q.bbox) parts.push(bboxCondition(q.bbox));
  for (const e of q.equals) parts.push(equalsCondition(e));
  if (q.datetime) parts.push(datetimeCondition(q.datetime));
  if (q.filter) parts.push({ sql: `(${q.filter.sql})`, bindings: q.filter.bindings });
  if (q.ids) parts.push(featureIdsCondition(q.ids));
  if (withKeyset && q.after !== undefined) parts.push(sql('fid > ?', q.after));
  return parts.length ? { sql: `WHERE ${joinSql(parts, ' AND ').sql}`, bindings: parts.flatMap((p) => p.bindings) } : sql('');
}

/** ORDER BY: requested properties (compared as JSON values) then fid, so pages are stable. */
export function orderBy(q: Pick<FeatureQuery, 'sortBy'>): SqlFragment {
  const keys = (q.sortBy ?? []).map((s) => sql(`properties->? ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`, s.name));
  keys.push(sql('fid'));
  return { sql: `ORDER BY ${keys.map((k) => k.sql).join(', ')}`, bindings: keys.flatMap((k) => k.bindings) };
}

/** The page query: limit + 1 rows, so the caller knows whether another page follows without counting. */
export function itemsSql(table: string, q: FeatureQuery): SqlFragment {
  const json = featureJson(q);
  const where = whereClause(q);
  const order = orderBy(q);
  return {
    sql: `SELECT fid, ${json.sql} AS f FROM ${table} ${where.sql} ${order.sql} LIMIT ? OFFSET ?`,
    bindings: [...json.bindings, ...where.bindings, ...order.bindings, q.limit + 1, q.offset],
  };
}

/** Counts matches, but stops at `cap`: a count that would scan a big layer is not worth its cost. */
export function cappedCountSql(table: string, q: FeatureQuery, cap: number): SqlFragment {
  const where = whereClause(q, false);
  return { sql: `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} ${where.sql} LIMIT ?) capped`, bindings: [...where.bindings, cap + 1] };
}

export function featureByIdSql(table: string, id: string, q: Pick<FeatureQuery, 'crs' | 'properties' | 'prerendered'>): SqlFragment {
  const json = featureJson(q);
  const byId = featureIdsCondition([id]);
  return { sql: `SELECT ${json.sql} AS f FROM ${table} WHERE ${byId.sql} LIMIT 1`, bindings: [...json.bindings, ...byId.bindings] };
}

/** GML 3.2 geometry options: URN srsName (1), LineString not Curve (4), lat/lon for EPSG:4326 (16). */
function gmlGeometry(crs: ServedCrs): string {
  if (crs.srid === 4326) return crs.flipAxes ? 'ST_AsGML(3, geom, 7, 1|4|16, \'gml\', \'g\' || fid)' : 'ST_AsGML(3, geom, 7, 4, \'gml\', \'g\' || fid)';
  return `ST_AsGML(3, ST_Transform(geom, ${Number(crs.srid)}), ${Number(crs.decimals)}, 1|4, 'gml', 'g' || fid)`;
}

/** Rows for GML output: id, properties as JSON text and the geometry already as GML from PostGIS. */
export function gmlRowsSql(table: string, q: FeatureQuery): SqlFragment {
  const props = propertiesJson(q);
  const where = whereClause(q);
  const order = orderBy(q);
  return {
    sql: `SELECT fid, coalesce(feature_id, fid::text) AS id, ${props.sql} AS p, ${gmlGeometry(q.crs)} AS gml FROM ${table} ${where.sql} ${order.sql} LIMIT ? OFFSET ?`,
    bindings: [...props.bindings, ...where.bindings, ...order.bindings, q.limit + 1, q.offset],
  };
}

/** Rows for files: id, properties as JSON text, and WKT (7 decimals) with point lon/lat, or WKB. */
export function fileRowsSql(table: string, after: number, limit: number, geometry: 'text' | 'wkb'): SqlFragment {
  const geom =
    geometry === 'wkb'
      ? 'ST_AsBinary(geom) AS wkb'
      : `ST_AsText(geom, 7) AS wkt, CASE WHEN GeometryType(geom) = 'POINT' THEN ST_X(geom) END AS lon,
         CASE WHEN GeometryType(geom) = 'POINT' THEN ST_Y(geom) END AS lat`;
  return sql(
    `SELECT fid, coalesce(feature_id, fid::text) AS id, properties::text AS p, ${geom} FROM ${table} WHERE fid > ? ORDER BY fid LIMIT ?`,
    after,
    limit,
  );
}
