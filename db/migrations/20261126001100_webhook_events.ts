import type { Knex } from 'knex';

// Every inbound webhook, recorded before it is acted on. The unique (source, external_id) makes a
// redelivery of the same event a no-op.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('source').notNullable();
    t.text('external_id').notNullable();
    // NULL until the event is matched to a team (e.g. a Stripe event for an unknown customer).
    t.uuid('team_id').references('teams.id').onDelete('CASCADE');
    t.jsonb('payload').notNullable();
    t.text('status').notNullable().defaultTo('received');
    t.text('error');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('processed_at', { useTz: true });
    t.unique(['source', 'external_id'], { indexName: 'webhook_events_source_external_id_unique' });
    t.index(['team_id', 'received_at']);
    t.index(['status', 'received_at']);
  });
  await knex.raw(`
    ALTER TABLE webhook_events
      ADD CONSTRAINT webhook_events_source_check CHECK (source IN ('clickbank','stripe','postmark','automation')),
      ADD CONSTRAINT webhook_events_status_check
        CHECK (status IN ('received','processing','processed','failed','ignored'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_events');
}
