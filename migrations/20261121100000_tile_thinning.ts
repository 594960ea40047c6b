import type { Knex } from 'knex';

/** Versions of big point layers carry a min_zoom per feature for low-zoom tiles; this records which do. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('layer_versions', (t) => {
    t.smallint('points_thinned_to_zoom');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('layer_versions', (t) => {
    t.dropColumn('points_thinned_to_zoom');
  });
}
