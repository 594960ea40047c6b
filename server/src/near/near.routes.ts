import { Router } from 'express';
import { featureIdsCondition, featureJson } from '../features/feature-sql';
import { versionTable } from '../ingest/version-table';
import type { PublishedLayers, ServedLayer } from '../layers/published-layers';
import type { Database } from '../platform/db/database';
import { InvalidParameterError, NotFoundError } from '../platform/errors';
import { CRS84 } from '../platform/geo/crs';
import { integerParam, optionalString } from '../platform/http/query-params';
import { abortSignalOf } from '../platform/http/request-signal';
import { sql, type SqlFragment } from '../platform/sql/fragment';

const MAX_DISTANCE_M = 20_000;
const MAX_COLLECTIONS = 20;

/** Where "near" is measured from: one feature of a published layer, or a point. */
type Origin = { kind: 'feature'; layer: ServedLayer; featureId: string } | { kind: 'point'; lon: number; lat: number };

async function parseOrigin(from: string | undefined, published: PublishedLayers): Promise<Origin> {
  if (!from) throw new InvalidParameterError('Say where to measure from: from=<collection>/<featureId> or from=point:<lon>,<lat>.', { parameter: 'from' });
  const point = /^point:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(from);
  if (point) {
    const lon = Number(point[1]);
    const lat = Number(point[2]);
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new InvalidParameterError(`The point ${lon},${lat} is not a longitude,latitude.`, { parameter: 'from' });
    return { kind: 'point', lon, lat };
  }
  const slash = from.indexOf('/');
  if (slash < 1 || slash === from.length - 1) throw new InvalidParameterError(`"${from}" is neither <collection>/<featureId> nor point:<lon>,<lat>.`, { parameter: 'from' });
  return { kind: 'feature', layer: await published.require(from.slice(0, slash)), featureId: from.slice(slash + 1) };
}

/**
 * The origin geometry in EPSG:4326 as an SQL expression. A feature's geometry is read once, as
 * hex EWKB (exact), and bound into each layer's query.
 */
async function originGeometry(o: Origin, db: Database, signal: AbortSignal): Promise<SqlFragment> {
  if (o.kind === 'point') return sql('ST_SetSRID(ST_MakePoint(?, ?), 4326)', o.lon, o.lat);
  const byId = featureIdsCondition([o.featureId]);
  const rows = await db.read<{ g: string | null }>(`SELECT geom::text AS g FROM ${versionTable(o.layer.currentVersion.tableName)} WHERE ${byId.sql} LIMIT 1`, byId.bindings, signal);
  if (rows.length === 0) throw new NotFoundError(`Collection "${o.layer.slug}" has no feature "${o.featureId}".`);
  return sql('?::geometry', rows[0]!.g);
}

/**
 * Features of `layer` within `distance` metres (on the spheroid) of the origin, nearest first.
 * The box test in degrees lets the GiST index cut the candidates before the geography test;
 * a degree of longitude shrinks with latitude, so the box widens by 1/cos(latitude).
 */
function nearSql(layer: ServedLayer, origin: SqlFragment, distance: number, limit: number): SqlFragment {
  const json = featureJson({ crs: CRS84, properties: undefined });
  return {
    sql: `WITH o AS (SELECT ${origin.sql} AS g)
      SELECT ${json.sql} AS f, ST_Distance(t.geom::geography, o.g::geography) AS d
      FROM ${versionTable(layer.currentVersion.tableName)} t, o
      WHERE t.geom && ST_Expand(o.g, ?::float8 / (111000 * cos(radians(least(85, greatest(abs(ST_YMin(o.g)), abs(ST_YMax(o.g))))))), ?::float8 / 110000)
        AND ST_DWithin(t.geom::geography, o.g::geography, ?::float8)
      ORDER BY d, t.fid LIMIT ?`,
    bindings: [...origin.bindings, ...json.bindings, distance, distance, distance, limit + 1],
  };
}

/** GET /api/near: which features of some layers lie within a distance of a feature or a point. */
export function nearRouter(deps: { db: Database; published: PublishedLayers }): Router {
  const router = Router();
  router.get('/api/near', async (req, res) => {
    const origin = await parseOrigin(optionalString(req.query.from, 'from'), deps.published);
    const distance = integerParam(req.query.distance, 'distance', { min: 1, max: MAX_DISTANCE_M, fallback: 500 });
    const limit = integerParam(req.query.limit, 'limit', { min: 1, max: 1000, fallback: 100 });
    const slugs = (optionalString(req.query.collections, 'collections') ?? '').split(',').filter(Boolean);
    if (slugs.length === 0 || slugs.length > MAX_COLLECTIONS) {
      throw new InvalidParameterError(`Name 1 to ${MAX_COLLECTIONS} collections to search, separated by commas.`, { parameter: 'collections' });
    }
    const layers = await Promise.all(slugs.map((s) => deps.published.require(s)));
    const signal = abortSignalOf(res);
    const from = await originGeometry(origin, deps.db, signal);
    const collections = [];
    for (const layer of layers) {
      const q = nearSql(layer, from, distance, limit);
      const rows = await deps.db.read<{ f: string; d: number }>(q.sql, q.bindings, signal);
      const features = rows.slice(0, limit).map((r) => ({ ...JSON.parse(r.f), distance: Math.round(Number(r.d) * 10) / 10 }));
      collections.push({ id: layer.slug, numberReturned: features.length, complete: rows.length <= limit, features });
    }
    res.json({
      from: origin.kind === 'point' ? { point: [origin.lon, origin.lat] } : { collection: origin.layer.slug, featureId: origin.featureId },
      distance,
      collections,
    });
  });
  return router;
}
