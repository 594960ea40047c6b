import type { Logger } from 'pino';
import { CRS84 } from '../platform/geo/crs';
import { completeVersionTable, forBulkWork, runBulk, versionIndexStatements, versionTable } from '../ingest/version-table';
import { rewriteTableName } from '../layers/data-schema';
import type { Database } from '../platform/db/database';
import { quoteIdentifier } from '../platform/sql/identifier';
import { featureJson } from './feature-sql';

/**
 * Geohash of the bounding box's centre; rows without a geometry (or outside lon/lat, which
 * ST_GeoHash refuses) go last.
 */
const SPATIAL_ORDER = `CASE WHEN geom IS NOT NULL AND NOT ST_IsEmpty(geom)
  AND ST_XMin(geom) >= -180 AND ST_XMax(geom) <= 180 AND ST_YMin(geom) >= -90 AND ST_YMax(geom) <= 90
  THEN ST_GeoHash(geom, 8) END, fid`;

/**
 * Layers of single points get no stored text: their features are small, so it made the table
 * wider more than it saved (a million points: 154 → 339 MB, medium boxes 168 → 145 pages/s at l100
 * and 106 → 81 at l1000, the pages being read from the OS cache). They are still reordered.
 */
const storesGeojson = (v: { geometryType: string | null }) => v.geometryType !== 'Point';

/** Pages of this version can read the stored text: it is rewritten, and not of points. */
export const hasStoredGeojson = (v: { geometryType: string | null; featuresReady: boolean }) => v.featuresReady && storesGeojson(v);

/** What versionIndexStatements' indexes are called: the named key, and PostgreSQL's default names. */
const INDEX_SUFFIXES = ['pkey', 'feature_id_idx', 'geom_idx'];

/** How long the swap may wait for readers of the old table; behind it, new readers wait too. */
const SWAP_LOCK_TIMEOUT = '3s';

export type RewriteOutcome = 'done' | 'taken' | 'gone' | 'busy';

/**
 * Rewrites a published version's feature table for serving, once, in the background:
 * - rows in geohash order, so a bbox's features sit on few pages;
 * - each feature's CRS84 GeoJSON (all properties, 7 decimals) stored in `geojson`, written by the
 *   same expression the pages use, so a plain page reads text instead of building it (polygons:
 *   ST_AsGeoJSON was most of the query); not for points (storesGeojson).
 * Measured A/B on one server (bench/README.md): PostgreSQL's time for a page of 1,000 polygons
 * 1,442–1,598 → 764–836 µs, of lines 8.4–8.7 → 5.3–5.4 ms. Pages stay in fid order whatever the
 * physical order; request connections tell the planner how little of a table stays cached
 * (open-database.ts), or it walks the primary key, whose fids no longer follow the pages, for
 * medium boxes. The rewrite takes the table's place in one
 * short transaction: a named statement prepared against the old table is planned again by
 * PostgreSQL, which finds the new one by name.
 */
export async function rewriteForServing(db: Database, log: Logger, v: { id: number; table_name: string; geometry_type: string | null }): Promise<RewriteOutcome> {
  const name = v.table_name;
  const rewrite = rewriteTableName(name);
  const json = featureJson({ crs: CRS84 }); // all properties: no bindings
  const geojson = storesGeojson({ geometryType: v.geometry_type }) ? `, ${json.sql} AS geojson` : '';
  try {
    await db.knex.transaction(async (trx) => {
      await forBulkWork(trx);
      await trx.raw(
        `CREATE TABLE ${versionTable(rewrite)} AS
           SELECT fid, feature_id, properties, geom${geojson} FROM ${versionTable(name)} ORDER BY ${SPATIAL_ORDER}`,
      );
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42P07') return 'taken'; // another process is rewriting it
    if (code === '42P01') return 'gone'; // the layer was deleted meanwhile
    throw err;
  }
  const t = versionTable(rewrite);
  try {
    // The same indexes, key and statistics as at publishing (INDEX_SUFFIXES are their names).
    await runBulk(db, versionIndexStatements(rewrite));
    await completeVersionTable(db, rewrite);
    // Sets hint bits and the visibility map now, so the first readers do not write pages.
    await db.knex.raw(`VACUUM ${t}`);
    return await swap(db, v);
  } catch (err) {
    await db.knex.raw(`DROP TABLE IF EXISTS ${t}`).catch(() => {});
    if ((err as { code?: string }).code === '55P03') {
      log.warn({ version: v.id }, 'feature table rewrite waited too long for readers; tried again at the next start');
      return 'busy';
    }
    throw err;
  }
}

/** Drop the old table, give the rewrite its name (and its indexes theirs), mark the version: one transaction. */
async function swap(db: Database, v: { id: number; table_name: string }): Promise<RewriteOutcome> {
  const name = v.table_name;
  const rewrite = rewriteTableName(name);
  return db.knex.transaction(async (trx) => {
    await trx.raw(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
    const updated = await trx('layer_versions').where({ id: v.id }).update({ features_ready: true });
    if (updated === 0) {
      await trx.raw(`DROP TABLE ${versionTable(rewrite)}`);
      return 'gone';
    }
    await trx.raw(`DROP TABLE ${versionTable(name)}`);
    await trx.raw(`ALTER TABLE ${versionTable(rewrite)} RENAME TO ${quoteIdentifier(name)}`);
    for (const suffix of INDEX_SUFFIXES) {
      await trx.raw(`ALTER INDEX ${versionTable(`${rewrite}_${suffix}`)} RENAME TO ${quoteIdentifier(`${name}_${suffix}`)}`);
    }
    return 'done';
  });
}
