import type { Knex } from 'knex';

// A team's promotion of one product: its ClickBank hoplink and the tracking id (tid) sales come back with.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    // Campaigns outlive catalog changes, so a vanished product only unlinks them.
    t.uuid('product_id').references('products.id').onDelete('SET NULL');
    t.text('name').notNullable();
    t.text('tid').notNullable();
    t.text('hoplink').notNullable();
    t.text('status').notNullable().defaultTo('draft');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['team_id', 'tid'], { indexName: 'campaigns_team_id_tid_unique' });
    // Target of composite foreign keys that keep join rows inside one team.
    t.unique(['id', 'team_id'], { indexName: 'campaigns_id_team_id_unique' });
    t.index(['product_id']);
    t.index(['created_by']);
    // Sale notifications carry only the tid.
    t.index(['tid']);
  });
  // ClickBank tracking ids are at most 24 characters; we keep them to a URL- and log-safe alphabet.
  await knex.raw(`
    ALTER TABLE campaigns
      ADD CONSTRAINT campaigns_tid_check CHECK (tid ~ '^[a-z0-9_]{1,24}$'),
      ADD CONSTRAINT campaigns_status_check CHECK (status IN ('draft','active','paused','archived'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('campaigns');
}
