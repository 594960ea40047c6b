import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Database } from '../platform/db/database';
import { type HarvestDeps, runHarvest } from './harvest';
import { type HarvestQueue, InProcessHarvestQueue } from './harvest-queue';
import { PgBossHarvestQueue } from './pg-boss-queue';
import type { SourceService } from './source-service';

export interface HarvestJobs {
  queue: HarvestQueue;
  /** Starts the workers and, when `schedulerIntervalMs` > 0, the scheduler's polling. */
  start(sourceService: SourceService): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss talks to the server database through knex's own pool: one set of connections, one config. */
function knexSqlExecutor(knex: Knex) {
  return {
    async executeSql(text: string, values: unknown[]) {
      const client = (await knex.client.acquireConnection()) as { query(t: string, v: unknown[]): Promise<{ rows: unknown[] }> };
      try {
        return await client.query(text, values);
      } finally {
        await knex.client.releaseConnection(client);
      }
    },
  };
}

/** Holds a session-level advisory lock on one pooled connection while `fn` runs on the others. */
function startLock(knex: Knex) {
  const key = 0x6861_656e; // "haen": the job queue's start
  return async (fn: () => Promise<void>) => {
    const conn = (await knex.client.acquireConnection()) as { query(t: string, v: unknown[]): Promise<unknown> };
    try {
      await conn.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        await fn();
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await knex.client.releaseConnection(conn);
    }
  };
}

/**
 * The harvest workers and scheduler of this process: pg-boss on a server database, the
 * in-process queue on the embedded one. Every process polls for due sources; claiming them is one
 * locked statement, so a source is queued once however many processes poll.
 */
export function createHarvestJobs(db: Database, deps: () => HarvestDeps, log: Logger, schedulerIntervalMs: number): HarvestJobs {
  const worker = `${hostname()}:${process.pid}`;
  const run = (harvestId: number) => runHarvest(deps(), harvestId, worker);
  const queue: HarvestQueue = db.kind === 'postgres' ? new PgBossHarvestQueue(knexSqlExecutor(db.knex), startLock(db.knex), run, log) : new InProcessHarvestQueue(run, log);
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  return {
    queue,
    async start(sourceService) {
      await deps().sources.failStale(db.kind === 'pglite' ? 0 : 60);
      await queue.start();
      if (schedulerIntervalMs > 0) {
        const tick = () => {
          ticking = sourceService.tick().catch((err) => log.error({ err }, 'scheduler pass failed'));
        };
        tick();
        timer = setInterval(tick, schedulerIntervalMs);
        timer.unref();
      }
    },
    async stop() {
      clearInterval(timer);
      await ticking;
      await queue.stop();
    },
  };
}
