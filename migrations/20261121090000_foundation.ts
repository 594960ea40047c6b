import type { Knex } from 'knex';

/** Organisations, their tokens, layers with immutable versions, and upload progress. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS layer_data');

  await knex.schema.createTable('organisations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('name_cy');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.text('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.text('token_prefix').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('layers', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.text('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.text('title_en').notNullable();
    t.text('title_cy');
    t.text('description_en');
    t.text('description_cy');
    t.text('licence').notNullable().defaultTo('OGL-UK-3.0');
    t.text('attribution');
    t.jsonb('keywords').notNullable().defaultTo('[]');
    t.text('theme');
    t.jsonb('style').notNullable().defaultTo('{}');
    t.text('invalid_policy').notNullable().defaultTo('repair');
    t.integer('current_version_id');
    // Accent-folded, lower-cased English and Welsh text for catalogue search on both back ends.
    t.text('search_text').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('layer_versions', (t) => {
    t.increments('id');
    t.integer('layer_id').notNullable().references('layers.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('table_name').notNullable();
    t.integer('feature_count').notNullable();
    t.specificType('extent', 'geometry(Polygon, 4326)');
    t.jsonb('property_schema').notNullable().defaultTo('[]');
    t.text('geometry_type');
    t.text('source_crs').notNullable();
    t.jsonb('source').notNullable().defaultTo('{}');
    t.jsonb('report').notNullable().defaultTo('{}');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['layer_id', 'version']);
  });
  await knex.raw('CREATE INDEX layer_versions_extent_idx ON layer_versions USING gist (extent)');
  await knex.schema.alterTable('layers', (t) => {
    t.foreign('current_version_id').references('layer_versions.id').onDelete('SET NULL');
  });

  await knex.schema.createTable('uploads', (t) => {
    t.increments('id');
    t.integer('layer_id').notNullable().references('layers.id').onDelete('CASCADE');
    t.text('status').notNullable(); // running | published | rejected | failed | aborted
    t.text('phase').notNullable(); // receiving | checking | indexing | done
    t.bigInteger('bytes_received').notNullable().defaultTo(0);
    t.bigInteger('bytes_total');
    t.integer('features_read').notNullable().defaultTo(0);
    t.text('message');
    t.jsonb('report');
    t.integer('version_id').references('layer_versions.id').onDelete('SET NULL');
    t.text('created_by').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('uploads');
  await knex.schema.alterTable('layers', (t) => t.dropForeign('current_version_id'));
  await knex.schema.dropTable('layer_versions');
  await knex.schema.dropTable('layers');
  await knex.schema.dropTable('api_tokens');
  await knex.schema.dropTable('organisations');
  await knex.raw('DROP SCHEMA IF EXISTS layer_data CASCADE');
}
