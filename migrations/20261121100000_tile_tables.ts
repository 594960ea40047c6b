import type { Knex } from 'knex';
import { LAYER_DATA_SCHEMA, tileTableName } from '../server/src/layers/data-schema';
import type { PropertyField } from '../server/src/layers/layer';
import { qualifiedName } from '../server/src/platform/sql/identifier';
import { buildTileTable, planTileColumns, tileTableIndexStatements } from '../server/src/tiles/tile-table';

/**
 * Every version gets a tile table (geometry in EPSG:3857, rows in geohash order); versions of big
 * point layers also a min_zoom per feature. Existing versions get theirs here. Versions published before this keep their properties
 * as jsonb in the tile table, since which JSON kinds their values took was not recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('layer_versions', (t) => {
    t.smallint('points_thinned_to_zoom');
    t.jsonb('tile_columns').notNullable().defaultTo(JSON.stringify({ typed: [], other: true }));
    // New versions are published first and get their tile table just after; until then tiles are drawn from the version table.
    t.boolean('tiles_ready').notNullable().defaultTo(true);
  });
  const versions = await knex('layer_versions').select<Array<{ id: number; table_name: string; property_schema: PropertyField[] }>>('id', 'table_name', 'property_schema');
  for (const v of versions) {
    const columns = planTileColumns(v.property_schema, undefined);
    await buildTileTable(knex, v.table_name, { columns, thinning: null });
    for (const sql of tileTableIndexStatements(v.table_name, [])) await knex.raw(sql);
    await knex('layer_versions').where({ id: v.id }).update({ tile_columns: JSON.stringify(columns) });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table_name } of await knex('layer_versions').select<Array<{ table_name: string }>>('table_name')) {
    await knex.raw(`DROP TABLE IF EXISTS ${qualifiedName(LAYER_DATA_SCHEMA, tileTableName(table_name))}`);
  }
  await knex.schema.alterTable('layer_versions', (t) => {
    t.dropColumn('points_thinned_to_zoom');
    t.dropColumn('tile_columns');
    t.dropColumn('tiles_ready');
  });
}
