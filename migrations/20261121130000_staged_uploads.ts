import type { Knex } from 'knex';

/**
 * An upload can be checked and loaded without being published ("checked"): its version table waits
 * beside the serving one, and what the version row needs is kept here until a publisher publishes
 * or discards it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('uploads', (t) => {
    t.jsonb('staged');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('uploads', (t) => t.dropColumn('staged'));
}
