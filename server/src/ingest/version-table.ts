import type { Knex } from 'knex';
import type { InvalidPolicy } from '../layers/layer';
import { LAYER_DATA_SCHEMA, versionTableNames } from '../layers/data-schema';
import { type Database, queryRows } from '../platform/db/database';
import { qualifiedName, quoteIdentifier } from '../platform/sql/identifier';
import { vertexOfFeatures } from './problem-positions';
import type { ReportBuilder } from './validation-report';

export const VERSION_COLUMNS = ['fid', 'feature_id', 'properties', 'geom'];
const LISTED = 100;

export const versionTableName = (uploadId: number) => `u${uploadId}`;
export const versionTable = (name: string) => qualifiedName(LAYER_DATA_SCHEMA, name);

/** One table per upload: a version's features never share a table (or an index) with another's. */
export async function createVersionTable(knex: Knex, name: string): Promise<void> {
  await knex.raw(
    `CREATE TABLE ${versionTable(name)} (fid integer NOT NULL, feature_id text, properties jsonb NOT NULL, geom geometry)`,
  );
}

export async function dropVersionTable(knex: Knex, name: string): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS ${versionTableNames(name).map(versionTable).join(', ')}`);
}

export interface VersionStats {
  featureCount: number;
  bbox: [number, number, number, number] | null;
  geometryType: string | null;
}

interface Listed {
  fid: number;
  feature_id: string | null;
  total: number;
  detail?: string;
  /** Where the invalidity is (ST_IsValidDetail's location), in EPSG:4326. */
  x?: number | null;
  y?: number | null;
}

const problemOf = (r: Listed, at?: Map<number, [number, number]>) => {
  const where: [number, number] | undefined = r.x != null && r.y != null ? [r.x, r.y] : at?.get(r.fid);
  return { index: r.fid - 1, ...(r.feature_id !== null ? { id: r.feature_id } : {}), ...(where ? { at: where } : {}) };
};

/**
 * Work PostGIS does on the loaded rows: reproject to EPSG:4326, split antimeridian crossings, check
 * validity (repair or reject), rewind polygons to RFC 7946, find duplicate ids, then index.
 * Problems go into the report; returns false when the version must not be published.
 */
export async function finaliseVersionTable(
  trx: Knex.Transaction,
  name: string,
  o: {
    srid: number;
    policy: InvalidPolicy;
    antimeridianFids: number[];
    makeValidStructure: boolean;
    report: ReportBuilder;
    /** What the upload held, so scans that cannot find anything are skipped (points are always valid). */
    shape: { lines: boolean; polygons: boolean; ids: boolean };
  },
): Promise<boolean> {
  const t = versionTable(name);
  await forBulkWork(trx);
  if (o.srid !== 4326) await trx.raw(`UPDATE ${t} SET geom = ST_Transform(geom, 4326) WHERE geom IS NOT NULL`);
  if (o.antimeridianFids.length > 0) {
    // Split at ±180: shapes drawn past 180 (170..190) wrap directly; shapes that jump from 170 to -170
    // are first shifted to 0..360 so the jump becomes continuous. Multi-part results are flattened.
    await trx.raw(
      `UPDATE ${t} SET geom = ST_CollectionExtract(CASE
          WHEN ST_XMax(geom) > 180 THEN ST_WrapX(geom, 180, -360)
          WHEN ST_XMin(geom) < -180 THEN ST_WrapX(geom, -180, 360)
          ELSE ST_WrapX(ST_ShiftLongitude(geom), 180, -360) END)
        WHERE fid = ANY(?)`,
      [o.antimeridianFids],
    );
  }

  const invalid = !(o.shape.lines || o.shape.polygons) ? [] : await queryRows<Listed>(
    trx,
    `SELECT fid, feature_id, (d).reason AS detail, ST_X((d).location) AS x, ST_Y((d).location) AS y, total FROM (
       SELECT fid, feature_id, ST_IsValidDetail(geom) AS d, (count(*) OVER ())::int AS total
         FROM ${t} WHERE geom IS NOT NULL AND ST_Dimension(geom) > 0 AND NOT ST_IsValid(geom) ORDER BY fid LIMIT ${LISTED}) listed`,
  );
  if (invalid.length > 0) {
    const severity = o.policy === 'reject' ? 'error' : 'repaired';
    const verb = o.policy === 'reject' ? 'The geometry is invalid' : 'The geometry was invalid and was repaired with ST_MakeValid';
    o.report.addMany(
      severity,
      'invalid-geometry',
      invalid[0]!.total,
      invalid.map((r) => ({ ...problemOf(r), severity, code: 'invalid-geometry', message: `${verb}: ${r.detail}.` })),
    );
    if (o.policy === 'repair') {
      const polygonal = o.makeValidStructure ? "ST_MakeValid(geom, 'method=structure')" : 'ST_MakeValid(geom)';
      await trx.raw(
        `UPDATE ${t} SET geom = CASE WHEN ST_Dimension(geom) = 2 THEN ${polygonal} ELSE ST_MakeValid(geom) END
          WHERE geom IS NOT NULL AND ST_Dimension(geom) > 0 AND NOT ST_IsValid(geom)`,
      );
      const unrepairable = await queryRows<Listed>(
        trx,
        `SELECT fid, feature_id, (count(*) OVER ())::int AS total FROM ${t}
          WHERE geom IS NOT NULL AND (ST_IsEmpty(geom) OR NOT ST_IsValid(geom)) ORDER BY fid LIMIT ${LISTED}`,
      );
      if (unrepairable.length > 0) {
        const at = await vertexOfFeatures(trx, t, unrepairable.map((r) => r.fid));
        o.report.addMany(
          'error',
          'unrepairable-geometry',
          unrepairable[0]!.total,
          unrepairable.map((r) => ({ ...problemOf(r, at), severity: 'error' as const, code: 'unrepairable-geometry', message: 'The geometry is invalid and could not be repaired.' })),
        );
      }
    }
  }

  const rewound = !o.shape.polygons ? [] : await queryRows<Listed>(
    trx,
    `WITH fixed AS (
       UPDATE ${t} SET geom = ST_ForcePolygonCCW(geom)
        WHERE geom IS NOT NULL AND ST_Dimension(geom) = 2 AND NOT ST_IsPolygonCCW(geom) RETURNING fid, feature_id)
     SELECT fid, feature_id, (count(*) OVER ())::int AS total FROM fixed ORDER BY fid LIMIT ${LISTED}`,
  );
  if (rewound.length > 0) {
    const at = await vertexOfFeatures(trx, t, rewound.map((r) => r.fid));
    o.report.addMany(
      'warning',
      'rewound',
      rewound[0]!.total,
      rewound.map((r) => ({ ...problemOf(r, at), severity: 'warning' as const, code: 'rewound', message: 'Its polygon rings were wound clockwise; they were rewound anticlockwise as RFC 7946 asks.' })),
    );
  }

  const duplicates = !o.shape.ids ? [] : await queryRows<{ feature_id: string; fids: number[]; total: number }>(
    trx,
    `SELECT feature_id, (array_agg(fid ORDER BY fid))[1:5] AS fids, (count(*) OVER ())::int AS total FROM ${t}
      WHERE feature_id IS NOT NULL GROUP BY feature_id HAVING count(*) > 1 ORDER BY min(fid) LIMIT ${LISTED}`,
  );
  if (duplicates.length > 0) {
    const at = await vertexOfFeatures(trx, t, duplicates.map((d) => d.fids[1]!));
    o.report.addMany(
      'error',
      'duplicate-id',
      duplicates[0]!.total,
      duplicates.map((d) => ({
        index: d.fids[1]! - 1,
        id: d.feature_id,
        ...(at.has(d.fids[1]!) ? { at: at.get(d.fids[1]!)! } : {}),
        severity: 'error' as const,
        code: 'duplicate-id',
        message: `The id ${JSON.stringify(d.feature_id)} is used by more than one feature (features ${d.fids.join(', ')}); ids must be unique.`,
      })),
    );
  }
  return o.report.errorCount === 0;
}

/**
 * Settings for the publishing work inside a transaction: no statement timeout (a big layer's
 * rewrite or index build outlasts a request's), and parallel workers back on, since request
 * connections turn them off.
 */
export async function forBulkWork(trx: Knex.Transaction): Promise<void> {
  await trx.raw('SET LOCAL statement_timeout = 0');
  await trx.raw('SET LOCAL max_parallel_workers_per_gather = 2');
}

/** Each statement in its own transaction: at once on separate connections on PostgreSQL, in turn on PGlite. */
export async function runBulk(db: Database, statements: string[]): Promise<void> {
  const run = (sql: string) =>
    db.knex.transaction(async (trx) => {
      await forBulkWork(trx);
      await trx.raw(sql);
    });
  if (db.kind === 'postgres') await Promise.all(statements.map(run));
  else for (const sql of statements) await run(sql);
}

/**
 * The version table's indexes: unique fid (made the primary key afterwards, which then takes only
 * a moment), unique feature id, GiST on geometry.
 */
export function versionIndexStatements(name: string): string[] {
  const t = versionTable(name);
  return [`CREATE UNIQUE INDEX ${quoteIdentifier(`${name}_pkey`)} ON ${t} (fid)`, `CREATE UNIQUE INDEX ON ${t} (feature_id)`, `CREATE INDEX ON ${t} USING gist (geom)`];
}

/**
 * After the indexes: the primary key from its index, and statistics for the planner on the columns
 * its plans weigh (bbox, ids, key). Property filters are `properties @> …` (estimated from whole
 * jsonb values, which rarely repeat) or expressions the column's statistics do not inform; sampling
 * it, and a rewritten table's GeoJSON text, took a third of ANALYZE (100,000 lines: 190–210 →
 * 128–135 ms, and publishing waits for it).
 */
export async function completeVersionTable(db: Database, name: string): Promise<void> {
  const t = versionTable(name);
  await db.knex.raw(`ALTER TABLE ${t} ADD PRIMARY KEY USING INDEX ${quoteIdentifier(`${name}_pkey`)}`);
  await db.knex.raw(`ANALYZE ${t} (fid, feature_id, geom)`);
}

const PRETTY: Record<string, string> = {
  POINT: 'Point',
  MULTIPOINT: 'MultiPoint',
  LINESTRING: 'LineString',
  MULTILINESTRING: 'MultiLineString',
  POLYGON: 'Polygon',
  MULTIPOLYGON: 'MultiPolygon',
  GEOMETRYCOLLECTION: 'GeometryCollection',
};

/** One geometry type for the layer: the only one, X when X and MultiX mix, else Geometry. */
export function layerGeometryType(types: string[]): string | null {
  const pretty = types.map((t) => PRETTY[t] ?? 'Geometry');
  if (pretty.length === 0) return null;
  if (pretty.length === 1) return pretty[0]!;
  const families = new Set(pretty.map((t) => t.replace(/^Multi/, '')));
  return families.size === 1 ? `Multi${[...families][0]}` : 'Geometry';
}

export async function versionStats(knex: Knex | Knex.Transaction, name: string): Promise<VersionStats> {
  const [row] = await queryRows<{ n: number; xmin: number | null; ymin: number; xmax: number; ymax: number; types: string[] | null }>(
    knex,
    `SELECT n, ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax, types
       FROM (SELECT count(*)::int AS n, ST_Extent(geom) AS e,
                    array_agg(DISTINCT GeometryType(geom)) FILTER (WHERE geom IS NOT NULL) AS types
               FROM ${versionTable(name)}) s`,
  );
  return {
    featureCount: row?.n ?? 0,
    bbox: row && row.xmin !== null ? [row.xmin, row.ymin, row.xmax, row.ymax] : null,
    geometryType: layerGeometryType(row?.types ?? []),
  };
}
