import type { Knex } from 'knex';
import { queryRows } from '../platform/db/database';
import type { Problem } from './validation-report';

/**
 * Moves the positions the checker gave problems (a vertex in the source CRS) to EPSG:4326, in one
 * statement, so a report can always be drawn on a web map. Positions PostGIS cannot transform are dropped.
 */
export async function problemPositionsToWgs84(knex: Knex, located: Problem[], srid: number): Promise<void> {
  if (srid === 4326 || located.length === 0) return;
  const rows = await queryRows<{ i: number; x: number | null; y: number | null }>(
    knex,
    `SELECT i::int, ST_X(p) AS x, ST_Y(p) AS y FROM (
       SELECT i, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), ?::int), 4326) AS p
         FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS u(x, y, i)) t`,
    [srid, located.map((p) => p.at![0]), located.map((p) => p.at![1])],
  );
  for (const r of rows) {
    const p = located[r.i - 1]!;
    if (r.x === null || r.y === null || !Number.isFinite(r.x) || !Number.isFinite(r.y)) delete p.at;
    else p.at = [round(r.x), round(r.y)];
  }
}

/** A vertex of each listed feature, [lon, lat], by fid: where a problem PostGIS found is drawn. */
export async function vertexOfFeatures(trx: Knex.Transaction, table: string, fids: number[]): Promise<Map<number, [number, number]>> {
  if (fids.length === 0) return new Map();
  // The version table has no index yet: one scan for all the listed features, and ST_Points needs no GEOS on a broken shape.
  const rows = await queryRows<{ fid: number; x: number | null; y: number | null }>(
    trx,
    `SELECT fid, ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT fid, ST_GeometryN(ST_Points(geom), 1) AS p FROM ${table} WHERE fid = ANY(?) AND geom IS NOT NULL) t`,
    [fids],
  );
  return new Map(rows.filter((r) => r.x !== null && r.y !== null).map((r) => [r.fid, [round(r.x!), round(r.y!)]]));
}

/** Seven decimals of a degree: about a centimetre, more than a report needs. */
const round = (n: number) => Math.round(n * 1e7) / 1e7;
