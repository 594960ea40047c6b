import type { Knex } from 'knex';

/** Big line layers are thinned at low zooms too: the version's thinning zoom is no longer only for points. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('layer_versions', (t) => t.renameColumn('points_thinned_to_zoom', 'thinned_to_zoom'));
  // Checked uploads waiting to be published carry the same field in their staged version.
  await knex.raw(`UPDATE uploads SET staged = (staged - 'pointsThinnedToZoom') || jsonb_build_object('thinnedToZoom', staged->'pointsThinnedToZoom')
                   WHERE jsonb_exists(staged, 'pointsThinnedToZoom')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE uploads SET staged = (staged - 'thinnedToZoom') || jsonb_build_object('pointsThinnedToZoom', staged->'thinnedToZoom')
                   WHERE jsonb_exists(staged, 'thinnedToZoom')`);
  await knex.schema.alterTable('layer_versions', (t) => t.renameColumn('thinned_to_zoom', 'points_thinned_to_zoom'));
}
