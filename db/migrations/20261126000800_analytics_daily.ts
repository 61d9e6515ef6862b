import type { Knex } from 'knex';

// Daily per-campaign rollup of analytics_events, so dashboards never scan raw events.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_daily', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    // NULL holds the events that carried no campaign. A deleted campaign takes its rollups with it
    // (SET NULL would collide with the team's existing NULL-campaign row for the same day).
    t.uuid('campaign_id').references('campaigns.id').onDelete('CASCADE');
    t.date('day').notNullable();
    t.integer('clicks').notNullable().defaultTo(0);
    t.integer('sales').notNullable().defaultTo(0);
    t.integer('refunds').notNullable().defaultTo(0);
    t.decimal('revenue', 14, 2).notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['campaign_id', 'day']);
  });
  // NULLS NOT DISTINCT so the no-campaign row is unique per day too and upserts can target it.
  await knex.raw(`
    ALTER TABLE analytics_daily
      ADD CONSTRAINT analytics_daily_team_id_campaign_id_day_unique UNIQUE NULLS NOT DISTINCT (team_id, campaign_id, day),
      ADD CONSTRAINT analytics_daily_counts_check CHECK (clicks >= 0 AND sales >= 0 AND refunds >= 0)`);
  // Dashboards read a team's date range across campaigns.
  await knex.raw('CREATE INDEX analytics_daily_team_id_day_idx ON analytics_daily (team_id, day)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('analytics_daily');
}
