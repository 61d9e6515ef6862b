import type { Knex } from 'knex';

// Purchase bonuses a team offers, and which campaigns offer them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bonuses', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('description');
    // Exactly one of: an outside link, or a file kept in the data folder.
    t.text('url');
    t.text('file_path');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.index(['created_by']);
    t.unique(['id', 'team_id'], { indexName: 'bonuses_id_team_id_unique' });
  });
  await knex.raw(
    'ALTER TABLE bonuses ADD CONSTRAINT bonuses_source_check CHECK (num_nonnulls(url, file_path) = 1)',
  );

  await knex.schema.createTable('campaign_bonuses', (t) => {
    t.uuid('campaign_id').notNullable();
    t.uuid('bonus_id').notNullable();
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['campaign_id', 'bonus_id']);
    // Composite keys: a campaign can only offer a bonus of its own team.
    t.foreign(['campaign_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('campaigns')
      .onDelete('CASCADE');
    t.foreign(['bonus_id', 'team_id']).references(['id', 'team_id']).inTable('bonuses').onDelete('CASCADE');
    t.index(['bonus_id']);
    t.index(['team_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('campaign_bonuses');
  await knex.schema.dropTableIfExists('bonuses');
}
