import { createHash } from 'node:crypto';
import type { LayerVersion } from '../layers/layer';
import { versionTable } from '../ingest/version-table';
import { type Database, queryRows } from '../platform/db/database';

import type { FeaturePage, FeatureQuery } from './feature-query';
import { hasStoredGeojson } from './features-for-serving';
import { cappedCountSql, featureByIdSql, fileRowsSql, gmlRowsSql, itemsSql } from './feature-sql';

/** Layers up to this size get an exact numberMatched; bigger ones only when the page shows it all. */
const EXACT_COUNT_CAP = 100_000;

/**
 * Plain pages (bbox, limit, paging, output CRS; no filter) of a version come in a handful of SQL
 * shapes: each runs as a named prepared statement, so PostgreSQL parses and plans it once per
 * connection instead of on every page (planning cost more than running a small page). Filtered
 * queries vary without end and stay unnamed.
 */
function preparedName(version: LayerVersion, q: FeatureQuery, sql: string): string | undefined {
  if (q.filter || q.equals.length || q.datetime || q.ids || q.properties) return undefined;
  let name = preparedNames.get(sql);
  if (name === undefined) {
    if (preparedNames.size >= 1000) preparedNames.clear();
    name = `haenau_items_${version.id}_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    preparedNames.set(sql, name);
  }
  return name;
}
const preparedNames = new Map<string, string>();

/**
 * The query as this version's SQL should see it: a bbox on a layer of single points is tested by
 * box alone, and a version rewritten for serving has its features' CRS84 GeoJSON ready.
 */
export function queryForVersion(version: LayerVersion, q: FeatureQuery): FeatureQuery {
  const bbox = q.bbox && version.geometryType === 'Point' ? { ...q.bbox, pointsOnly: true } : q.bbox;
  return { ...q, ...(bbox ? { bbox } : {}), prerendered: hasStoredGeojson(version) };
}

/** The read side shared by OGC API Features and WFS: one SQL per page, values bound. */
export function createFeatureStore(db: Database) {
  return {
    async query(version: LayerVersion, query: FeatureQuery, signal?: AbortSignal): Promise<FeaturePage> {
      const q = queryForVersion(version, query);
      const table = versionTable(version.tableName);
      const page = itemsSql(table, q);
      const rows = await db.read<{ fid: number; f: string }>(page.sql, page.bindings, signal, preparedName(version, q, page.sql));
      const hasMore = rows.length > q.limit;
      if (hasMore) rows.pop();
      const filtered = q.bbox || q.equals.length || q.datetime || q.filter || q.ids;
      let numberMatched: number | undefined;
      if (!filtered) numberMatched = version.featureCount;
      else if (!hasMore && q.offset === 0 && q.after === undefined) numberMatched = rows.length;
      else if (version.featureCount <= EXACT_COUNT_CAP) {
        const count = cappedCountSql(table, q, EXACT_COUNT_CAP);
        const [row] = await db.read<{ n: number }>(count.sql, count.bindings, signal);
        numberMatched = row!.n;
      }
      return { features: rows.map((r) => r.f), numberMatched, hasMore, lastFid: rows.at(-1)?.fid };
    },

    /** A page for GML: each row's id, properties (JSON text) and geometry as GML. */
    async queryGml(version: LayerVersion, q: FeatureQuery, signal?: AbortSignal) {
      const page = gmlRowsSql(versionTable(version.tableName), queryForVersion(version, q));
      const rows = await db.read<{ fid: number; id: string; p: string; gml: string | null }>(page.sql, page.bindings, signal);
      const hasMore = rows.length > q.limit;
      if (hasMore) rows.pop();
      return { rows, hasMore };
    },

    /** The exact number of matches (WFS resultType=hits asks for it). */
    async count(version: LayerVersion, q: FeatureQuery, signal?: AbortSignal): Promise<number> {
      const count = cappedCountSql(versionTable(version.tableName), queryForVersion(version, q), Number.MAX_SAFE_INTEGER - 1);
      const [row] = await db.read<{ n: number }>(count.sql, count.bindings, signal);
      return row!.n;
    },

    /** Every feature as GeoJSON text, a batch at a time by keyset: memory stays flat however big the layer. */
    async *streamGeoJson(version: LayerVersion, q: Pick<FeatureQuery, 'crs'>, batch = 5000): AsyncGenerator<string[]> {
      let after = 0;
      for (;;) {
        const page = await this.query(version, { ...q, equals: [], limit: batch, offset: 0, after });
        if (page.features.length) yield page.features;
        if (!page.hasMore || page.lastFid === undefined) return;
        after = page.lastFid;
      }
    },

    /** Every feature's id, properties and geometry (WKT with point lon/lat, or WKB), a batch at a time. */
    async *streamRows<G extends 'text' | 'wkb' = 'text'>(version: LayerVersion, batch = 5000, geometry: G = 'text' as G) {
      type Row = { fid: number; id: string; p: string } & (G extends 'wkb' ? { wkb: Uint8Array | null } : { wkt: string | null; lon: number | null; lat: number | null });
      let after = 0;
      for (;;) {
        const q = fileRowsSql(versionTable(version.tableName), after, batch, geometry);
        const rows = await queryRows<Row>(db.knex, q.sql, q.bindings);
        if (rows.length) yield rows;
        if (rows.length < batch) return;
        after = rows.at(-1)!.fid;
      }
    },

    async get(version: LayerVersion, id: string, q: Pick<FeatureQuery, 'crs' | 'properties'>, signal?: AbortSignal): Promise<string | undefined> {
      const one = featureByIdSql(versionTable(version.tableName), id, { ...q, prerendered: hasStoredGeojson(version) });
      const [row] = await db.read<{ f: string }>(one.sql, one.bindings, signal);
      return row?.f;
    },
  };
}

export type FeatureStore = ReturnType<typeof createFeatureStore>;
