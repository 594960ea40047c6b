import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { Database } from '../../server/src/platform/db/database';
import { migrateToLatest } from '../../server/src/platform/db/migrate';
import { openDatabase } from '../../server/src/platform/db/open-database';

export type TestBackend = 'pglite' | 'postgis';

/** Which back end this test run uses: the vitest project sets HAENAU_TEST_BACKEND. */
export function testBackend(): TestBackend {
  return process.env.HAENAU_TEST_BACKEND === 'postgis' ? 'postgis' : 'pglite';
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new database on the
 * PostgreSQL in TEST_DATABASE_URL (dropped again by the returned cleanup).
 */
export async function createTestDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (testBackend() === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateToLatest(db.knex);
    return { db, drop: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is needed for the postgis test project');
  const name = `haenau_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: testUrl.toString(), poolMax: 5 });
  await migrateToLatest(db.knex);
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
