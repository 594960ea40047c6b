import type { Logger } from 'pino';
import { forBulkWork, runBulk } from '../ingest/version-table';
import { LAYER_DATA_SCHEMA, tileTableName } from '../layers/data-schema';
import { type Database, queryRows } from '../platform/db/database';
import { qualifiedName } from '../platform/sql/identifier';
import { THINNED_INDEX_ZOOMS, thinningOf } from './thinning';
import { buildTileTable, type TileColumns, tileTableIndexStatements } from './tile-table';

interface PendingVersion {
  id: number;
  table_name: string;
  tile_columns: TileColumns;
  thinned_to_zoom: number | null;
  geometry_type: string | null;
}

/**
 * Builds tile tables after publishing, so an upload is answered as soon as its version serves
 * features; tiles of a version whose table is not ready yet are drawn from the version table
 * (tile-store.ts). One version at a time per process. Versions left unprepared by a stopped
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
          'SELECT id, table_name, tile_columns, thinned_to_zoom, geometry_type FROM layer_versions WHERE id = ANY(?) AND NOT tiles_ready ORDER BY id',
          [ids],
        );
        for (const v of pending) {
          if (dropLeftovers) await db.knex.raw(`DROP TABLE IF EXISTS ${qualifiedName(LAYER_DATA_SCHEMA, tileTableName(v.table_name))}`);
          await build(v).catch((err) => log.error({ err, version: v.id }, 'tile table could not be built; tiles come from the version table'));
        }
      } catch (err) {
        // The database went away (a stop): the versions stay waiting and are built at the next start.
        log.error({ err, versions: ids }, 'tile tables not built');
      }
    });
    return queue;
  };

  return {
    /** Builds this version's tile table soon (after any already queued). */
    prepare(versionId: number): Promise<void> {
      return enqueue([versionId]);
    },
    /**
     * At start: every version still waiting for its tile table (the last process stopped, or a
     * build failed). A half-built table left by a stop is dropped and built again.
     */
    async prepareMissing(): Promise<void> {
      const rows = await queryRows<{ id: number }>(db.knex, 'SELECT id FROM layer_versions WHERE NOT tiles_ready ORDER BY id').catch((err) => {
        log.error({ err }, 'could not list versions waiting for tile tables');
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
