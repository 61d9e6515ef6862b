import type { Knex } from 'knex';

// The automations engine. `workflows` holds an automation (its name, status, the version that is live, its webhook
// secret sealed at rest); `workflow_versions` its versions (drafts change, published ones are immutable and
// addressed by a content hash). Runs, webhook deliveries, run slots and large step outputs get their own tables.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('workflows', (t) => {
    // The webhook trigger's token or Standard Webhooks key, sealed with the integrations key (secret-box).
    t.text('webhook_secret_sealed');
    t.uuid('updated_by').references('users.id').onDelete('SET NULL');
    t.index(['updated_by']);
  });

  await knex.schema.alterTable('workflow_versions', (t) => {
    // sha256 of the canonical JSON (RFC 8785) of the definition.
    t.text('content_hash');
    t.uuid('published_by').references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workflow_id', 'content_hash']);
    t.index(['published_by']);
  });
  // The immutability trigger compares the columns that may never change on a published row.
  await knex.raw(`
    CREATE OR REPLACE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.published_at IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM workflows WHERE id = OLD.workflow_id)
           OR NOT EXISTS (SELECT 1 FROM teams WHERE id = OLD.team_id) THEN
          RETURN OLD;
        END IF;
      ELSIF (NEW.id, NEW.workflow_id, NEW.team_id, NEW.version, NEW.definition, NEW.published_at, NEW.created_at,
             NEW.content_hash)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.workflow_id, OLD.team_id, OLD.version, OLD.definition, OLD.published_at, OLD.created_at,
             OLD.content_hash)
        AND (NEW.created_by IS NOT DISTINCT FROM OLD.created_by OR NEW.created_by IS NULL)
        AND (NEW.published_by IS NOT DISTINCT FROM OLD.published_by OR NEW.published_by IS NULL) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'workflow version % of workflow % is published and cannot be changed', OLD.version, OLD.workflow_id
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$`);

  // One row per run, written before the run starts (so platform events reach it from its first moment) and
  // finished by the interpreter. The trigger payload is kept for re-runs.
  await knex.schema.createTable('automation_runs', (t) => {
    t.text('workflow_id').primary();
    t.uuid('automation_id').notNullable().references('workflows.id').onDelete('CASCADE');
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('version_id').notNullable().references('workflow_versions.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('run_id');
    // webhook | schedule | clickbank | event | manual | rerun | resume
    t.text('trigger_source').notNullable();
    t.text('trigger_key').notNullable();
    t.jsonb('payload').notNullable().defaultTo('null');
    // Platform event types and signal names (`signal:<name>`) its wait_for_event steps wait for.
    t.specificType('listens_for', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    // queued | running | waiting | succeeded | failed | cancelled | skipped
    t.text('status').notNullable().defaultTo('running');
    t.text('current_step');
    t.jsonb('error');
    t.text('resumed_from');
    t.uuid('started_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.index(['automation_id', 'created_at']);
    t.index(['team_id', 'created_at']);
    t.index(['version_id']);
    t.index(['started_by']);
  });
  await knex.raw(`
    ALTER TABLE automation_runs ADD CONSTRAINT automation_runs_status_check
      CHECK (status IN ('queued','running','waiting','succeeded','failed','cancelled','skipped'))`);
  await knex.raw(`
    CREATE INDEX automation_runs_listening ON automation_runs USING gin (listens_for)
      WHERE ended_at IS NULL`);

  // Every webhook delivery, accepted or not: the deliveries list of the builder.
  await knex.schema.createTable('automation_deliveries', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('automation_id').notNullable().references('workflows.id').onDelete('CASCADE');
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    // The delivery key and where it came from: idempotency-key | webhook-id | payload | body-hash.
    t.text('key');
    t.text('key_source');
    // started | duplicate | filtered | refused
    t.text('status').notNullable();
    t.text('reason');
    t.text('run_workflow_id');
    t.integer('body_bytes').notNullable().defaultTo(0);
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['automation_id', 'received_at']);
    t.index(['team_id']);
  });
  await knex.raw(`
    ALTER TABLE automation_deliveries ADD CONSTRAINT automation_deliveries_status_check
      CHECK (status IN ('started','duplicate','filtered','refused'))`);
  // The first delivery of a key starts the run; later ones are recorded as duplicates of it.
  await knex.raw(`
    CREATE UNIQUE INDEX automation_deliveries_first_key ON automation_deliveries (automation_id, key)
      WHERE status = 'started'`);

  // Runs holding one of their automation's (and team's) concurrency slots.
  await knex.schema.createTable('automation_run_slots', (t) => {
    t.text('workflow_id').primary();
    t.uuid('automation_id').notNullable().references('workflows.id').onDelete('CASCADE');
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.timestamp('acquired_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['automation_id']);
    t.index(['team_id']);
  });

  // Step outputs above the inline size: the run's history holds a reference to the row.
  await knex.schema.createTable('automation_outputs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('workflow_id').notNullable();
    t.text('step_key').notNullable();
    t.jsonb('value').notNullable();
    t.integer('bytes').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['workflow_id', 'step_key']);
    t.index(['team_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('automation_outputs');
  await knex.schema.dropTableIfExists('automation_run_slots');
  await knex.schema.dropTableIfExists('automation_deliveries');
  await knex.schema.dropTableIfExists('automation_runs');
  // Back to the first version of the immutability check, which does not know the new columns.
  await knex.raw(`
    CREATE OR REPLACE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.published_at IS NULL THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM workflows WHERE id = OLD.workflow_id)
           OR NOT EXISTS (SELECT 1 FROM teams WHERE id = OLD.team_id) THEN
          RETURN OLD;
        END IF;
      ELSIF NEW.created_by IS NULL
        AND (NEW.id, NEW.workflow_id, NEW.team_id, NEW.version, NEW.definition, NEW.published_at, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.workflow_id, OLD.team_id, OLD.version, OLD.definition, OLD.published_at, OLD.created_at) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'workflow version % of workflow % is published and cannot be changed', OLD.version, OLD.workflow_id
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$`);
  await knex.schema.alterTable('workflow_versions', (t) => {
    t.dropColumn('content_hash');
    t.dropColumn('published_by');
    t.dropColumn('updated_at');
  });
  await knex.schema.alterTable('workflows', (t) => {
    t.dropColumn('webhook_secret_sealed');
    t.dropColumn('updated_by');
  });
}
