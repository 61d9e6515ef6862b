import type { Knex } from 'knex';

// A team's mailing list: contacts (imported, added by sales or by hand) and what each outbound email was for.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contacts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('first_name');
    t.text('last_name');
    t.specificType('tags', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    // import | sale | manual | api
    t.text('source').notNullable().defaultTo('manual');
    // active | unsubscribed (the reader asked) | inactive (Postmark refused: hard bounce, spam complaint)
    t.text('status').notNullable().defaultTo('active');
    t.text('status_reason');
    t.timestamp('status_changed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.unique(['id', 'team_id'], { indexName: 'contacts_id_team_id_unique' });
  });
  await knex.raw(`
    ALTER TABLE contacts
      ADD CONSTRAINT contacts_status_check CHECK (status IN ('active','unsubscribed','inactive')),
      ADD CONSTRAINT contacts_source_check CHECK (source IN ('import','sale','manual','api')),
      ADD CONSTRAINT contacts_email_check CHECK (email = lower(btrim(email)) AND email <> '')`);
  // One contact per team and address (addresses are stored lower-cased).
  await knex.raw('CREATE UNIQUE INDEX contacts_team_id_email_unique ON contacts (team_id, email)');
  await knex.raw('CREATE INDEX contacts_tags_gin ON contacts USING gin (tags)');

  await knex.schema.alterTable('email_messages', (t) => {
    t.uuid('contact_id').references('contacts.id').onDelete('SET NULL');
    // sequence | broadcast | bonus | insight | notification
    t.text('kind').notNullable().defaultTo('notification');
    t.index(['contact_id']);
  });
  // queued = recorded before the hand-over (an attempt may have died mid-send: look it up before resending);
  // refused = Postmark will never take it (406 inactive recipient, invalid address).
  // One statement per raw call: PGlite (the embedded database) refuses several in one prepared statement.
  await knex.raw('ALTER TABLE email_messages DROP CONSTRAINT email_messages_status_check');
  await knex.raw(`
    ALTER TABLE email_messages
      ADD CONSTRAINT email_messages_status_check CHECK (status IN ('queued','sent','failed','bounced','refused','skipped'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DELETE FROM email_messages WHERE status IN ('refused','skipped')");
  await knex.raw('ALTER TABLE email_messages DROP CONSTRAINT email_messages_status_check');
  await knex.raw(
    "ALTER TABLE email_messages ADD CONSTRAINT email_messages_status_check CHECK (status IN ('queued','sent','failed','bounced'))",
  );
  await knex.schema.alterTable('email_messages', (t) => {
    t.dropColumn('contact_id');
    t.dropColumn('kind');
  });
  await knex.schema.dropTableIfExists('contacts');
}
