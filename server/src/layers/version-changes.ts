import type { Knex } from 'knex';
import { qualifiedName } from '../platform/sql/identifier';
import { LAYER_DATA_SCHEMA } from './data-schema';
import type { LayerVersion } from './layer';

export type VersionChanges =
  | { comparable: true; since: number; added: number; removed: number; changed: number; unchanged: number }
  | { comparable: false; since: number | null; reason: string };

/**
 * What a version changed against the one before it, feature by feature, matched on feature id:
 * added, removed, changed (properties or geometry) and unchanged. One join of the two version tables
 * on their unique feature_id indexes. Without ids on both sides there is nothing to match on.
 */
export async function versionChanges(knex: Knex, version: LayerVersion, previous: LayerVersion | undefined): Promise<VersionChanges> {
  if (!previous) return { comparable: false, since: null, reason: 'This is the first version.' };
  const table = (v: LayerVersion) => qualifiedName(LAYER_DATA_SCHEMA, v.tableName);
  const { rows } = (await knex.raw(
    `SELECT
       count(*) FILTER (WHERE o.fid IS NULL)::int AS added,
       count(*) FILTER (WHERE n.fid IS NULL)::int AS removed,
       count(*) FILTER (WHERE n.fid IS NOT NULL AND o.fid IS NOT NULL AND (n.properties IS DISTINCT FROM o.properties OR ST_AsEWKB(n.geom) IS DISTINCT FROM ST_AsEWKB(o.geom)))::int AS changed,
       count(*) FILTER (WHERE n.fid IS NOT NULL AND o.fid IS NOT NULL AND n.properties IS NOT DISTINCT FROM o.properties AND ST_AsEWKB(n.geom) IS NOT DISTINCT FROM ST_AsEWKB(o.geom))::int AS unchanged,
       (SELECT count(*) FROM ${table(version)} WHERE feature_id IS NULL)::int AS new_without_id,
       (SELECT count(*) FROM ${table(previous)} WHERE feature_id IS NULL)::int AS old_without_id
     FROM (SELECT fid, feature_id, properties, geom FROM ${table(version)} WHERE feature_id IS NOT NULL) n
     FULL JOIN (SELECT fid, feature_id, properties, geom FROM ${table(previous)} WHERE feature_id IS NOT NULL) o ON n.feature_id = o.feature_id`,
  )) as { rows: Array<{ added: number; removed: number; changed: number; unchanged: number; new_without_id: number; old_without_id: number }> };
  const r = rows[0]!;
  if (r.new_without_id > 0 || r.old_without_id > 0) {
    return { comparable: false, since: previous.version, reason: 'Some features have no id, so they cannot be matched between versions.' };
  }
  return { comparable: true, since: previous.version, added: r.added, removed: r.removed, changed: r.changed, unchanged: r.unchanged };
}
