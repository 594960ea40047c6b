import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { lockDataDir } from './data-dir-lock';
import { type CopyWriter, type Database, detectCapabilities, queryRows, toNumberedParams } from './database';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolMax?: number; statementTimeoutMs?: number };

/** Opens the embedded PGlite (dataDir may be 'memory://') or a PostgreSQL server, with PostGIS enabled. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'pglite' && !target.dataDir.startsWith('memory://')) mkdirSync(target.dataDir, { recursive: true });
  const release = target.kind === 'pglite' && !target.dataDir.startsWith('memory://') ? lockDataDir(target.dataDir) : () => {};
  const knex = await (target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target)).catch((err) => {
    release();
    throw err;
  });
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (err) {
    await knex.destroy();
    release();
    throw new Error(`PostGIS is not available in this database (${(err as Error).message}); install PostGIS 3 and retry`, {
      cause: err,
    });
  }
  const capabilities = await detectCapabilities(knex);
  return {
    kind: target.kind,
    knex,
    capabilities,
    read: (sql, bindings, signal, statementName) =>
      target.kind === 'postgres' && (signal || statementName) ? cancellableRead(knex, sql, bindings, signal, statementName) : queryRows(knex, sql, bindings),
    copyInto: (table, columns) =>
      target.kind === 'pglite' ? pgliteCopyWriter(knex, table, columns) : postgresCopyWriter(knex, table, columns),
    close: async () => {
      await knex.destroy();
      release();
    },
  };
}

async function openPglite(dataDir: string): Promise<Knex> {
  const pglite = new PGlite({ dataDir, extensions: { postgis } });
  await pglite.waitReady;
  return knexFactory({ client: ClientPgLite as unknown as typeof knexFactory.Client, connection: { pglite } as object, useNullAsDefault: true });
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Knex> {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: target.url,
      statement_timeout: target.statementTimeoutMs ?? 30_000,
      // Requests run many at once, each already with a core to itself: starting parallel workers for
      // a tile or a page costs more than it saves (measured: a 3 ms tile took 23 ms with a Gather).
      // Index builds keep their parallel maintenance workers.
      // A small effective_cache_size: version tables are in spatial order (features-for-serving.ts),
      // so an index walk in fid order reads a page per row. With the default (4 GB, "all cached") the
      // planner walked the primary key for a medium box of a million points, 24–86 ms, where the
      // bitmap scan and sort it chooses with 32 MB take 2.5 ms; big boxes still walk (0.4 ms).
      options: '-c max_parallel_workers_per_gather=0 -c effective_cache_size=32MB',
    },
    pool: { min: 0, max: target.poolMax ?? 10 },
  });
}

/** `?` → `$n` for the few SQL shapes the request path repeats, kept so each is rewritten once. */
const numbered = new Map<string, string>();
function numberedSql(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    if (numbered.size >= 1000) numbered.clear(); // filters make endless shapes: a bound, not an LRU
    text = toNumberedParams(sql);
    numbered.set(sql, text);
  }
  return text;
}

/** pg: the statement runs on a known backend, so an abort can ask PostgreSQL to cancel exactly it. */
async function cancellableRead<T>(knex: Knex, sql: string, bindings: readonly unknown[], signal?: AbortSignal, name?: string): Promise<T[]> {
  signal?.throwIfAborted();
  const conn = (await knex.client.acquireConnection()) as PoolClient & { processID: number };
  const cancel = () => {
    knex.raw('SELECT pg_cancel_backend(?)', [conn.processID]).catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return (await conn.query({ text: numberedSql(sql), values: bindings as unknown[], ...(name ? { name } : {}) })).rows as T[];
  } finally {
    signal?.removeEventListener('abort', cancel);
    await knex.client.releaseConnection(conn);
  }
}

/** pg: one pooled connection streams COPY FROM STDIN, so parsing here overlaps loading in Postgres. */
function postgresCopyWriter(knex: Knex, table: string, columns: string[]): CopyWriter {
  const ready = (async () => {
    const client = (await knex.client.acquireConnection()) as PoolClient;
    // A big load and its index build may outlast the request statement timeout.
    await client.query('SET statement_timeout = 0');
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    done.catch(() => {});
    return { client, stream, done };
  })();
  const release = async () => {
    const { client } = await ready;
    await client.query('RESET statement_timeout').catch(() => {});
    await knex.client.releaseConnection(client);
  };
  return {
    async write(rows) {
      const { stream, done } = await ready;
      if (!stream.write(rows)) {
        await Promise.race([new Promise((resolve) => stream.once('drain', resolve)), done]);
      }
    },
    async end() {
      const { stream, done } = await ready;
      stream.end();
      try {
        await done;
      } finally {
        await release();
      }
    },
    async abort(reason) {
      const { stream, done } = await ready;
      stream.destroy(reason);
      await done.catch(() => {});
      await release();
    },
  };
}

/** PGlite has no COPY FROM STDIN stream; it reads a Blob as '/dev/blob', so rows go in batches. */
function pgliteCopyWriter(knex: Knex, table: string, columns: string[]): CopyWriter {
  const BATCH_CHARS = 8 * 1024 * 1024;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const blob = new Blob(pending);
    pending = [];
    pendingChars = 0;
    // Through knex's single pooled connection, so a COPY never lands inside another request's transaction.
    const conn = (await knex.client.acquireConnection()) as PGlite;
    try {
      await conn.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
    } finally {
      await knex.client.releaseConnection(conn);
    }
  };
  return {
    async write(rows) {
      pending.push(rows);
      pendingChars += rows.length;
      if (pendingChars >= BATCH_CHARS) await flush();
    },
    end: flush,
    async abort() {
      pending = [];
      pendingChars = 0;
    },
  };
}
