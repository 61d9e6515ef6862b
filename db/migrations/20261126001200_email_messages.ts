import type { Knex } from 'knex';

// Outbound email sent through Postmark. The idempotency key lets a retried activity find the message it
// already sent instead of sending it twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_messages', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('idempotency_key').notNullable().unique();
    t.text('to_email').notNullable();
    t.text('subject').notNullable();
    // Postmark message stream id ('outbound' for transactional, 'broadcast' or a custom stream).
    t.text('stream').notNullable().defaultTo('outbound');
    t.text('postmark_message_id');
    t.text('status').notNullable().defaultTo('queued');
    t.text('error');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.index(['postmark_message_id']);
  });
  await knex.raw(`
    ALTER TABLE email_messages
      ADD CONSTRAINT email_messages_status_check CHECK (status IN ('queued','sent','failed','bounced')),
      ADD CONSTRAINT email_messages_stream_check CHECK (stream <> '')`);
  // Unsubscribes and bounces are looked up by recipient.
  await knex.raw('CREATE INDEX email_messages_to_email_lower_idx ON email_messages (lower(to_email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_messages');
}
