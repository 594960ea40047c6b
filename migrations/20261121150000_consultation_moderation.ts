import type { Knex } from 'knex';

/** Pre-moderation (nothing public until approved) by default; post-moderation publishes at once and moderators take down. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('consultations', (t) => {
    t.text('moderation').notNullable().defaultTo('pre'); // pre | post
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('consultations', (t) => t.dropColumn('moderation'));
}
