import type { Knex } from 'knex';

// A team's Stripe billing state, mirrored from Stripe webhooks (at most one subscription per team).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().unique().references('teams.id').onDelete('CASCADE');
    t.text('stripe_customer_id').unique();
    t.text('stripe_subscription_id').unique();
    // A Stripe price lookup key chosen by billing config, so not a fixed enum here.
    t.text('plan').notNullable().defaultTo('free');
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('current_period_end', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // Stripe's subscription statuses.
  await knex.raw(`
    ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (status IN
      ('incomplete','incomplete_expired','trialing','active','past_due','canceled','unpaid','paused'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('subscriptions');
}
