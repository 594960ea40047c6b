import type { Knex } from 'knex';

/**
 * People who sign in: users of an organisation with roles, their server-side sessions, and the
 * sign-in attempts per client address (in the database, so every app process counts the same).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.text('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.text('email').notNullable().unique();
    t.text('name').notNullable();
    t.text('password_hash').notNullable();
    t.jsonb('roles').notNullable().defaultTo('[]'); // any of "admin", "publisher", "moderator"
    t.integer('failed_sign_ins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true });
    t.index(['organisation_id']);
  });
  await knex.raw("ALTER TABLE users ADD CONSTRAINT users_email_lower CHECK (email = lower(email))");
  await knex.raw("ALTER TABLE users ADD CONSTRAINT users_roles_array CHECK (jsonb_typeof(roles) = 'array')");

  await knex.schema.createTable('sessions', (t) => {
    // SHA-256 (hex) of the random session id; the id itself is only ever in the browser's cookie.
    t.text('id_hash').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('csrf_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('ip');
    t.text('user_agent');
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('sign_in_attempts', (t) => {
    t.bigIncrements('id');
    t.text('key').notNullable(); // "ip:<address>"
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['key', 'at']);
    t.index(['at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sign_in_attempts');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
