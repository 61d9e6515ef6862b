import type { Knex } from 'knex';

// An approved social post is copy-ready (status approved): it is posted by hand, never sent to WordPress.
const statuses = (list: string[]) => list.map((s) => `'${s}'`).join(',');
const before = ['generating', 'awaiting_review', 'scheduled', 'published', 'rejected', 'failed', 'draft'];

// The review history of a content item: each draft the pipeline wrote, each revise note and each edit a
// reviewer saved, with who (null for the pipeline's drafts) and when. content.body stays the current text.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('content_revisions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('content_id').notNullable().references('content.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    // The text of a draft or an edit; null for a revise note.
    t.text('body');
    // What the reviewer asked to change (revise); null otherwise.
    t.text('note');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['content_id', 'created_at']);
    t.index(['team_id']);
    t.index(['created_by']);
  });
  await knex.raw(`
    ALTER TABLE content_revisions
      ADD CONSTRAINT content_revisions_kind_check CHECK (kind IN ('draft','revise','edit')),
      ADD CONSTRAINT content_revisions_text_check
        CHECK ((kind = 'revise' AND note IS NOT NULL) OR (kind <> 'revise' AND body IS NOT NULL))`);
  await knex.raw(`
    ALTER TABLE content
      DROP CONSTRAINT content_status_check,
      ADD CONSTRAINT content_status_check CHECK (status IN (${statuses([...before, 'approved'])}))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`UPDATE content SET status = 'awaiting_review' WHERE status = 'approved'`);
  await knex.raw(`
    ALTER TABLE content
      DROP CONSTRAINT content_status_check,
      ADD CONSTRAINT content_status_check CHECK (status IN (${statuses(before)}))`);
  await knex.schema.dropTableIfExists('content_revisions');
}
