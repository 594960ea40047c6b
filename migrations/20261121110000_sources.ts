import type { Knex } from 'knex';

/** Remote sources a layer is harvested from, and every harvest run (its history and health). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('layer_sources', (t) => {
    t.integer('layer_id').primary().references('layers.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // wfs | ogcapi | arcgis | geojson
    t.text('url').notNullable();
    t.text('feature_type'); // typeName | collectionId | layerId
    t.text('schedule').notNullable(); // cron expression, or "manual"
    t.jsonb('options').notNullable().defaultTo('{}');
    // What the last successful harvest saw, so an unchanged source makes no new version.
    t.text('etag');
    t.text('last_modified');
    t.text('content_hash');
    t.timestamp('next_run_at', { useTz: true });
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('last_success_at', { useTz: true });
    t.text('last_error');
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX layer_sources_due_idx ON layer_sources (next_run_at) WHERE next_run_at IS NOT NULL');

  await knex.schema.createTable('harvests', (t) => {
    t.increments('id');
    t.integer('layer_id').notNullable().references('layers.id').onDelete('CASCADE');
    t.text('status').notNullable(); // queued | running | published | unchanged | failed | skipped
    t.text('trigger').notNullable(); // schedule | manual | registration
    t.text('phase'); // fetching | checking | indexing
    t.integer('pages').notNullable().defaultTo(0);
    t.integer('features').notNullable().defaultTo(0);
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('upload_id').references('uploads.id').onDelete('SET NULL');
    t.integer('version_id').references('layer_versions.id').onDelete('SET NULL');
    t.text('message');
    t.text('worker'); // host:pid that ran it
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['layer_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('harvests');
  await knex.schema.dropTable('layer_sources');
}
