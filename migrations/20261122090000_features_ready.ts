import type { Knex } from 'knex';

/**
 * After publishing, each version's feature table is rewritten once for serving: rows in spatial
 * order, each feature's CRS84 GeoJSON stored beside it. Versions already published are rewritten
 * by the preparer at the next start (the column starts false for them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('layer_versions', (t) => t.boolean('features_ready').notNullable().defaultTo(false));
}

export async function down(knex: Knex): Promise<void> {
  // A rewritten table keeps its extra geojson column; nothing reads it without the flag.
  await knex.schema.alterTable('layer_versions', (t) => t.dropColumn('features_ready'));
}
