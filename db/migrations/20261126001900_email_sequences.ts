import type { Knex } from 'knex';

// Email sequences (ordered, delayed emails per campaign), one run row per `seq:<sequence>:<contact>` workflow,
// and broadcasts (one email to a tag at a chosen time). Composite foreign keys keep every link inside one team.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_sequences', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('campaign_id').notNullable();
    t.text('name').notNullable();
    // manual (enrolled from the UI/API) | sale (buyers of the campaign are enrolled by the bonus workflow)
    t.text('trigger').notNullable().defaultTo('manual');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['campaign_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('campaigns')
      .onDelete('CASCADE');
    t.unique(['id', 'team_id'], { indexName: 'email_sequences_id_team_id_unique' });
    t.index(['team_id', 'created_at']);
    // Sales look up a campaign's sequences by trigger.
    t.index(['campaign_id', 'team_id', 'trigger']);
    t.index(['created_by']);
  });
  await knex.raw(
    "ALTER TABLE email_sequences ADD CONSTRAINT email_sequences_trigger_check CHECK (trigger IN ('manual','sale'))",
  );

  await knex.schema.createTable('email_sequence_steps', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('sequence_id').notNullable();
    // 0-based order inside the sequence.
    t.integer('position').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    // Wait before this step, counted from the previous step (or the enrollment for the first one).
    t.integer('delay_seconds').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['sequence_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('email_sequences')
      .onDelete('CASCADE');
    t.unique(['sequence_id', 'position'], { indexName: 'email_sequence_steps_sequence_position_unique' });
    t.index(['team_id']);
  });
  await knex.raw(`
    ALTER TABLE email_sequence_steps
      ADD CONSTRAINT email_sequence_steps_position_check CHECK (position >= 0),
      ADD CONSTRAINT email_sequence_steps_delay_seconds_check CHECK (delay_seconds BETWEEN 0 AND 31536000)`);

  await knex.schema.createTable('email_sequence_runs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('sequence_id').notNullable();
    t.uuid('contact_id').notNullable();
    // seq:<sequence>:<contact>
    t.text('workflow_id').notNullable();
    // running | completed | stopped | failed
    t.text('status').notNullable().defaultTo('running');
    // manual | sale
    t.text('trigger_source').notNullable().defaultTo('manual');
    // Steps handed to Postmark so far (the next step's index), and the step count of the run's snapshot.
    t.integer('current_step').notNullable().defaultTo(0);
    t.integer('total_steps');
    t.timestamp('next_send_at', { useTz: true });
    t.text('stop_reason');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.foreign(['sequence_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('email_sequences')
      .onDelete('CASCADE');
    t.foreign(['contact_id', 'team_id'])
      .references(['id', 'team_id'])
      .inTable('contacts')
      .onDelete('CASCADE');
    // One run per contact and sequence, ever (a finished one is not restarted).
    t.unique(['sequence_id', 'contact_id'], { indexName: 'email_sequence_runs_sequence_contact_unique' });
    t.unique(['workflow_id'], { indexName: 'email_sequence_runs_workflow_id_unique' });
    // Unsubscribe and refusals stop a contact's running runs.
    t.index(['contact_id', 'status']);
    t.index(['team_id', 'status']);
  });
  await knex.raw(`
    ALTER TABLE email_sequence_runs
      ADD CONSTRAINT email_sequence_runs_status_check CHECK (status IN ('running','completed','stopped','failed')),
      ADD CONSTRAINT email_sequence_runs_trigger_source_check CHECK (trigger_source IN ('manual','sale'))`);

  await knex.schema.createTable('broadcasts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    // The audience: active contacts carrying this tag when the broadcast is sent.
    t.text('tag').notNullable();
    t.timestamp('send_at', { useTz: true }).notNullable();
    // scheduled | sending | sent | cancelled | failed
    t.text('status').notNullable().defaultTo('scheduled');
    t.integer('recipients').notNullable().defaultTo(0);
    t.integer('sent').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.integer('refused').notNullable().defaultTo(0);
    // broadcast:<id>
    t.text('workflow_id').notNullable();
    t.text('failure');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.unique(['id', 'team_id'], { indexName: 'broadcasts_id_team_id_unique' });
    t.index(['team_id', 'created_at']);
    t.index(['created_by']);
  });
  await knex.raw(`
    ALTER TABLE broadcasts
      ADD CONSTRAINT broadcasts_status_check
        CHECK (status IN ('scheduled','sending','sent','cancelled','failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('broadcasts');
  await knex.schema.dropTableIfExists('email_sequence_runs');
  await knex.schema.dropTableIfExists('email_sequence_steps');
  await knex.schema.dropTableIfExists('email_sequences');
}
