import type { Knex } from 'knex';
import { migrations } from '../../../../migrations';

const source: Knex.MigrationSource<(typeof migrations)[number]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (m) => m.name,
  getMigration: async (m) => m.module,
};

/** Brings the schema to the latest migration; returns the names applied now. */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

/** Undoes the most recent migration (for tests of a migration's upgrade path). */
export async function migrateDownOne(knex: Knex): Promise<void> {
  await knex.migrate.down({ migrationSource: source });
}
