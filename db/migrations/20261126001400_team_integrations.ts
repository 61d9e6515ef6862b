import type { Knex } from 'knex';

// A team's own credentials for each outside service. Secret fields are sealed (AES-256-GCM, see
// lib/crypto/secret-box.ts) into `secret`; non-secret fields live in `settings`. ins_token is the
// unguessable part of the team's ClickBank INS URL: created on first save and kept on later saves, so the
// URL pasted into ClickBank stays valid.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('team_integrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('secret').notNullable();
    t.jsonb('settings').notNullable().defaultTo(knex.raw("'{}'::jsonb"));
    t.text('ins_token').unique({ indexName: 'team_integrations_ins_token_unique' });
    t.boolean('last_test_ok');
    t.text('last_test_message');
    t.timestamp('last_tested_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.uuid('updated_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['team_id', 'provider'], { indexName: 'team_integrations_team_provider_unique' });
    t.index(['team_id']);
    t.index(['created_by']);
    t.index(['updated_by']);
  });
  await knex.raw(`
    ALTER TABLE team_integrations
      ADD CONSTRAINT team_integrations_provider_check
        CHECK (provider IN ('clickbank','anthropic','postmark','wordpress')),
      ADD CONSTRAINT team_integrations_ins_token_clickbank_check
        CHECK (ins_token IS NULL OR provider = 'clickbank')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('team_integrations');
}
