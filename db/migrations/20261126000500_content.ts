import type { Knex } from 'knex';

// Generated content (articles, reviews, emails, social posts) moving through the content pipeline.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('content', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('campaign_id').references('campaigns.id').onDelete('SET NULL');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.jsonb('brief').notNullable().defaultTo('{}');
    t.text('outline');
    t.text('body');
    t.text('status').notNullable().defaultTo('draft');
    // When set, the pipeline publishes at this time instead of immediately after approval.
    t.timestamp('scheduled_for', { useTz: true });
    t.text('published_url');
    t.bigInteger('wordpress_post_id');
    t.timestamp('published_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.index(['campaign_id']);
    t.index(['created_by']);
  });
  await knex.raw(`
    ALTER TABLE content
      ADD CONSTRAINT content_kind_check CHECK (kind IN ('article','review','email','social')),
      ADD CONSTRAINT content_status_check
        CHECK (status IN ('draft','generating','in_review','approved','scheduled','published','failed','archived'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('content');
}
