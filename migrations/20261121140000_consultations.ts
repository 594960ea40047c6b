import type { Knex } from 'knex';

/**
 * Consultations an organisation runs on a map, the responses citizens leave (with their contact
 * details in a table of their own, never joined into anything public), and every moderation action.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consultations', (t) => {
    t.text('id').primary();
    t.text('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.jsonb('title').notNullable(); // {en, cy}
    t.jsonb('description').notNullable();
    t.jsonb('questions').notNullable().defaultTo('[]');
    t.jsonb('categories').notNullable().defaultTo('[]');
    t.jsonb('comment_kinds').notNullable(); // any of "point", "line", "feature"
    t.jsonb('layers').notNullable().defaultTo('[]'); // layer slugs shown, in drawing order
    t.specificType('area', 'geometry(MultiPolygon, 4326)').notNullable();
    t.timestamp('opens_at', { useTz: true }).notNullable();
    t.timestamp('closes_at', { useTz: true }).notNullable();
    t.jsonb('frame_ancestors').notNullable().defaultTo('[]'); // origins allowed to embed it
    t.text('responses_layer'); // the layer approved responses are published as
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
  });
  await knex.schema.createTable('consultation_responses', (t) => {
    t.increments('id');
    t.text('consultation_id').notNullable().references('consultations.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // point | line | feature
    t.specificType('geom', 'geometry(Geometry, 4326)').notNullable();
    t.text('layer_slug');
    t.integer('layer_version');
    t.text('feature_id');
    t.text('comment').notNullable();
    t.boolean('comment_redacted').notNullable().defaultTo(false);
    t.text('category');
    t.text('sentiment'); // support | neutral | oppose
    t.jsonb('answers').notNullable().defaultTo('{}');
    t.text('lang').notNullable();
    t.text('status').notNullable().defaultTo('pending'); // pending | approved | rejected
    t.text('status_reason');
    t.text('receipt_hash').notNullable();
    t.text('client_hash').notNullable();
    t.text('content_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('moderated_at', { useTz: true });
    t.index(['consultation_id', 'status']);
    t.index(['consultation_id', 'client_hash', 'created_at']);
  });
  await knex.schema.createTable('consultation_contacts', (t) => {
    t.integer('response_id').primary().references('consultation_responses.id').onDelete('CASCADE');
    t.text('name');
    t.text('email');
  });
  await knex.schema.createTable('moderation_actions', (t) => {
    t.increments('id');
    t.integer('response_id').notNullable().references('consultation_responses.id').onDelete('CASCADE');
    t.text('action').notNullable(); // approve | reject | redact-contact | redact-comment
    t.text('reason');
    t.text('actor').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['response_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('moderation_actions');
  await knex.schema.dropTable('consultation_contacts');
  await knex.schema.dropTable('consultation_responses');
  await knex.schema.dropTable('consultations');
}
