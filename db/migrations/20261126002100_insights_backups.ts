import type { Knex } from 'knex';

// Nightly insights (one per team and day, written by Claude from the day's figures), each member's opt-in
// for the insight email, and a log of backup runs for ops.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('team_insights', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    // The team's local calendar day the figures cover.
    t.date('day').notNullable();
    // { timeZone, totals: {clicks, sales, refunds, revenue}, campaigns: [{campaignId, name, ...}] }
    t.jsonb('figures').notNullable();
    t.text('summary').notNullable();
    // The Claude model that wrote the summary; NULL for the plain "no activity" text.
    t.text('model');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['team_id', 'day'], { indexName: 'team_insights_team_id_day_unique' });
  });

  await knex.schema.alterTable('team_members', (t) => {
    // Each member chooses for themselves whether the nightly insight is emailed to them.
    t.boolean('insights_email').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('backup_runs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // pg_dump (custom format) or pglite (tarball of the embedded data folder).
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.text('file');
    t.bigInteger('bytes');
    t.text('sha256');
    t.integer('deleted_old').notNullable().defaultTo(0);
    t.text('error');
    t.text('workflow_id');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['started_at']);
  });
  await knex.raw(`
    ALTER TABLE backup_runs
      ADD CONSTRAINT backup_runs_kind_check CHECK (kind IN ('pg_dump','pglite')),
      ADD CONSTRAINT backup_runs_status_check CHECK (status IN ('running','completed','failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('backup_runs');
  await knex.schema.alterTable('team_members', (t) => {
    t.dropColumn('insights_email');
  });
  await knex.schema.dropTableIfExists('team_insights');
}
