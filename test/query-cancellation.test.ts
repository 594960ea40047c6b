import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../server/src/platform/db/database';
import { abortSignalOf } from '../server/src/platform/http/request-signal';
import { createTestDatabase, testBackend } from './helpers/test-db';

/** PGlite runs in this process and cannot be interrupted; cancelling is a PostgreSQL server's feature. */
describe.runIf(testBackend() === 'postgis')('cancelling reads when the client goes away', () => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase());
  });
  afterAll(() => drop?.());

  const sleeping = async () => {
    const { rows } = (await db.knex.raw("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'")) as {
      rows: Array<{ n: number }>;
    };
    return rows[0]!.n;
  };

  it('stops the statement in PostgreSQL as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const read = db.read('SELECT pg_sleep(?)', [20], controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(read).rejects.toThrow(/canceling statement due to user request/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await sleeping()).toBe(0);
  });

  it('stops it when the HTTP client disconnects mid-request', async () => {
    const app = express();
    let outcome: Promise<unknown> | undefined;
    app.get('/slow', async (_req, res) => {
      outcome = db.read('SELECT pg_sleep(?)', [20], abortSignalOf(res)).then(
        () => 'finished',
        (err: Error) => err.message,
      );
      res.json(await outcome);
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const req = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/slow' });
      req.on('error', () => {});
      for (let i = 0; i < 50 && (await sleeping()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await sleeping()).toBe(1);
      req.destroy();
      expect(await outcome).toMatch(/canceling statement due to user request/);
      expect(await sleeping()).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
