import type { Logger } from 'pino';
import { forBulkWork, runBulk } from '../ingest/version-table';
import { rewriteForServing } from '../features/features-for-serving';
import { LAYER_DATA_SCHEMA, rewriteTableName, tileTableName } from '../layers/data-schema';
import { type Database, queryRows } from '../platform/db/database';
import { qualifiedName } from '../platform/sql/identifier';
import { THINNED_INDEX_ZOOMS, thinningOf } from './thinning';
import { buildTileTable, type TileColumns, tileTableIndexStatements } from './tile-table';

interface PendingVersion {
  id: number;
  table_name: string;
  features_ready: boolean;
  tiles_ready: boolean;
  tile_columns: TileColumns;
  thinned_to_zoom: number | null;
  geometry_type: string | null;
}

/**
 * Prepares each published version for serving, after publishing, so an upload is answered as soon
 * as its version serves features: first its feature table is rewritten for serving
 * (features-for-serving.ts), then its tile table is built; until then pages and tiles come from the
 * table as published (tile-store.ts). One version at a time per process. Versions left unprepared by a stopped
 * process are picked up at the next start; when two processes try the same version, the second
 * finds the table already created and leaves it to the first.
 */
export function createTilePreparer(deps: { db: Database; log: Logger; onReady: () => void }) {
  const { db, log } = deps;
  let queue: Promise<void> = Promise.resolve();

  /** Another process is building it (the table exists), or the layer was deleted meanwhile (a table is gone). */
  function alreadyHandled(err: unknown, v: PendingVersion): boolean {
    const code = (err as { code?: string }).code;
    if (code === '42P07') log.info({ version: v.id }, 'tile table is being built by another process');
    else if (code === '42P01') log.info({ version: v.id }, 'version deleted before its tile table was built');
    return code === '42P07' || code === '42P01';
  }

  async function build(v: PendingVersion): Promise<void> {
    if (!v.features_ready) {
      const started = Date.now();
      const outcome = await rewriteForServing(db, log, v);
      if (outcome === 'taken' || outcome === 'gone') return;
      if (outcome === 'done') {
        deps.onReady();
        log.info({ version: v.id, table: v.table_name, ms: Date.now() - started }, 'feature table rewritten for serving');
      }
    }
    if (!v.tiles_ready) await buildTiles(v);
  }

  async function buildTiles(v: PendingVersion): Promise<void> {
    const started = Date.now();
    const thinned = v.thinned_to_zoom !== null;
    const thinning = thinningOf({ thinnedToZoom: v.thinned_to_zoom, geometryType: v.geometry_type });
    try {
      await db.knex.transaction(async (trx) => {
        await forBulkWork(trx);
        await buildTileTable(trx, v.table_name, { columns: v.tile_columns, thinning });
      });
    } catch (err) {
      if (alreadyHandled(err, v)) return;
      throw err;
    }
    try {
      await runBulk(db, tileTableIndexStatements(v.table_name, thinned ? THINNED_INDEX_ZOOMS : []));
    } catch (err) {
      if (alreadyHandled(err, v)) return;
      throw err;
    }
    await db.knex.raw(`ANALYZE ${qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.table_name))}`);
    const updated = await db.knex('layer_versions').where({ id: v.id }).update({ tiles_ready: true });
    if (updated === 0) {
      // The layer was deleted while its table was being built: nothing would ever drop this one.
      await db.knex.raw(`DROP TABLE IF EXISTS ${qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.table_name))}`);
      return;
    }
    deps.onReady();
    log.info({ version: v.id, table: v.table_name, ms: Date.now() - started }, 'tile table ready');
  }

  const enqueue = (ids: number[], dropLeftovers = false) => {
    queue = queue.then(async () => {
      if (ids.length === 0) return;
      try {
        const pending = await queryRows<PendingVersion>(
          db.knex,
          `SELECT id, table_name, features_ready, tiles_ready, tile_columns, thinned_to_zoom, geometry_type FROM layer_versions
            WHERE id = ANY(?) AND NOT (tiles_ready AND features_ready) ORDER BY id`,
          [ids],
        );
        for (const v of pending) {
          if (dropLeftovers) {
            const leftovers = [...(v.tiles_ready ? [] : [tileTableName(v.table_name)]), ...(v.features_ready ? [] : [rewriteTableName(v.table_name)])];
            for (const t of leftovers) await db.knex.raw(`DROP TABLE IF EXISTS ${qualifiedName(LAYER_DATA_SCHEMA, t)}`);
          }
          await build(v).catch((err) => log.error({ err, version: v.id }, 'version not prepared for serving; pages and tiles come from its table as published'));
        }
      } catch (err) {
        // The database went away (a stop): the versions stay waiting and are prepared at the next start.
        log.error({ err, versions: ids }, 'versions not prepared for serving');
      }
    });
    return queue;
  };

  return {
    /** Prepares this version soon (after any already queued): feature table rewrite, then tile table. */
    prepare(versionId: number): Promise<void> {
      return enqueue([versionId]);
    },
    /**
     * At start: every version still waiting to be prepared (the last process stopped, a build failed,
     * or it was published before rewrites). A half-built table left by a stop is dropped and built again.
     */
    async prepareMissing(): Promise<void> {
      const rows = await queryRows<{ id: number }>(db.knex, 'SELECT id FROM layer_versions WHERE NOT (tiles_ready AND features_ready) ORDER BY id').catch((err) => {
        log.error({ err }, 'could not list versions waiting to be prepared');
        return [];
      });
      await enqueue(rows.map((r) => r.id), true);
    },
    /** Resolves when everything queued so far is done. */
    idle(): Promise<void> {
      return queue;
    },
  };
}

export type TilePreparer = ReturnType<typeof createTilePreparer>;
