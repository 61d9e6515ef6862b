import type { Knex } from 'knex';

// Two-step registration: a sign-up waits here until its address is confirmed by the emailed one-time link, and
// the "someone tried to register with your address" notices to existing owners are throttled per address.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pending_registrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // Lower-cased by the API; one pending sign-up per address (a repeat replaces it).
    t.text('email').notNullable().unique({ indexName: 'pending_registrations_email_unique' });
    t.text('name').notNullable();
    t.text('password_hash').notNullable();
    // SHA-256 of the emailed token: a database leak yields no usable links.
    t.text('token_hash').notNullable().unique({ indexName: 'pending_registrations_token_hash_unique' });
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['expires_at']);
  });

  await knex.schema.createTable('registration_notices', (t) => {
    // Lower-cased address of an existing account that was last sent a notice at `sent_at`.
    t.text('email').primary();
    t.timestamp('sent_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('registration_notices');
  await knex.schema.dropTableIfExists('pending_registrations');
}
