import type { Knex } from 'knex';

// The content pipeline (issue 4): the API's content types and statuses, the pipeline's inputs and progress,
// and per-team token usage of every Claude call.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE content
      DROP CONSTRAINT content_kind_check,
      DROP CONSTRAINT content_status_check`);
  await knex.schema.alterTable('content', (t) => {
    t.renameColumn('kind', 'type');
    t.renameColumn('scheduled_for', 'publish_at');
  });
  await knex.raw(`
    UPDATE content SET
      type = CASE type WHEN 'article' THEN 'review_article' WHEN 'review' THEN 'review_article'
                       WHEN 'social' THEN 'social_post' ELSE type END,
      status = CASE status WHEN 'in_review' THEN 'awaiting_review' WHEN 'approved' THEN 'awaiting_review'
                           WHEN 'archived' THEN 'rejected' ELSE status END`);
  await knex.schema.alterTable('content', (t) => {
    // Which pipeline step the row is at (brief, outline, draft, polish, review, publish).
    t.text('step');
    t.text('tone').notNullable().defaultTo('friendly');
    t.specificType('keywords', 'text[]').notNullable().defaultTo('{}');
    t.text('length').notNullable().defaultTo('medium');
    t.integer('input_tokens').notNullable().defaultTo(0);
    t.integer('output_tokens').notNullable().defaultTo(0);
    // Bumped each time a streamed step (re)starts, so readers can drop text from an abandoned attempt.
    t.integer('revision').notNullable().defaultTo(0);
    t.text('review_notes');
    t.text('failure');
  });
  await knex.raw(`
    ALTER TABLE content
      ADD CONSTRAINT content_type_check
        CHECK (type IN ('review_article','email','social_post','landing_page')),
      ADD CONSTRAINT content_status_check
        CHECK (status IN ('generating','awaiting_review','scheduled','published','rejected','failed','draft')),
      ADD CONSTRAINT content_length_check CHECK (length IN ('short','medium','long'))`);
  await knex.raw('CREATE INDEX content_team_id_status_idx ON content (team_id, status)');

  await knex.schema.createTable('token_usage', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('content_id').references('content.id').onDelete('SET NULL');
    t.text('workflow_id');
    t.text('step').notNullable();
    t.text('model').notNullable();
    t.integer('input_tokens').notNullable();
    t.integer('output_tokens').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Usage reports read one team's calls over a time range.
    t.index(['team_id', 'created_at']);
    t.index(['content_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('token_usage');
  await knex.raw('DROP INDEX IF EXISTS content_team_id_status_idx');
  await knex.raw(`
    ALTER TABLE content
      DROP CONSTRAINT content_type_check,
      DROP CONSTRAINT content_status_check,
      DROP CONSTRAINT content_length_check`);
  await knex.schema.alterTable('content', (t) => {
    t.dropColumns(
      'step',
      'tone',
      'keywords',
      'length',
      'input_tokens',
      'output_tokens',
      'revision',
      'review_notes',
      'failure',
    );
  });
  await knex.raw(`
    UPDATE content SET
      type = CASE type WHEN 'review_article' THEN 'review' WHEN 'social_post' THEN 'social'
                       WHEN 'landing_page' THEN 'article' ELSE type END,
      status = CASE status WHEN 'awaiting_review' THEN 'in_review' WHEN 'rejected' THEN 'archived' ELSE status END`);
  await knex.schema.alterTable('content', (t) => {
    t.renameColumn('type', 'kind');
    t.renameColumn('publish_at', 'scheduled_for');
  });
  await knex.raw(`
    ALTER TABLE content
      ADD CONSTRAINT content_kind_check CHECK (kind IN ('article','review','email','social')),
      ADD CONSTRAINT content_status_check
        CHECK (status IN ('draft','generating','in_review','approved','scheduled','published','failed','archived'))`);
}
