import type { Knex } from 'knex';

// The foundation workflow's record: a team-scoped platform check run by a worker activity.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platform_checks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('requested_by').references('users.id').onDelete('SET NULL');
    t.text('workflow_id').notNullable().unique();
    t.text('status').notNullable().defaultTo('pending');
    t.jsonb('result');
    t.text('worker_identity');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['team_id', 'created_at']);
    t.index(['requested_by']);
  });
  await knex.raw(
    "ALTER TABLE platform_checks ADD CONSTRAINT platform_checks_status_check CHECK (status IN ('pending','completed','failed'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('platform_checks');
}
