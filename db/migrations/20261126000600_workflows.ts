import type { Knex } from 'knex';

// Automation definitions (a builder's trigger + steps) and their versions. A run pins one version, so a
// published version must never change: a trigger rejects UPDATE and DELETE of published rows.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('workflows', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('description');
    t.jsonb('trigger').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('draft');
    t.uuid('current_version_id');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.index(['current_version_id']);
    t.index(['created_by']);
  });
  await knex.raw(
    "ALTER TABLE workflows ADD CONSTRAINT workflows_status_check CHECK (status IN ('draft','active','paused','archived'))",
  );

  await knex.schema.createTable('workflow_versions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('workflow_id').notNullable().references('workflows.id').onDelete('CASCADE');
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.jsonb('definition').notNullable();
    t.timestamp('published_at', { useTz: true });
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['workflow_id', 'version'], { indexName: 'workflow_versions_workflow_id_version_unique' });
    t.index(['team_id']);
    t.index(['created_by']);
  });
  await knex.raw(
    'ALTER TABLE workflow_versions ADD CONSTRAINT workflow_versions_version_check CHECK (version > 0)',
  );
  await knex.raw(`
    ALTER TABLE workflows
      ADD CONSTRAINT workflows_current_version_id_foreign
      FOREIGN KEY (current_version_id) REFERENCES workflow_versions (id) ON DELETE SET NULL`);

  // Allowed on a published row: deletes cascading from its workflow or team (the parent row is already
  // gone when the cascade fires), and clearing created_by when the author is deleted (FK SET NULL).
  await knex.raw(`
    CREATE FUNCTION workflow_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
  await knex.raw(`
    CREATE TRIGGER workflow_versions_immutable
      BEFORE UPDATE OR DELETE ON workflow_versions
      FOR EACH ROW EXECUTE FUNCTION workflow_versions_immutable()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TABLE IF EXISTS workflows DROP CONSTRAINT IF EXISTS workflows_current_version_id_foreign',
  );
  await knex.schema.dropTableIfExists('workflow_versions');
  await knex.raw('DROP FUNCTION IF EXISTS workflow_versions_immutable()');
  await knex.schema.dropTableIfExists('workflows');
}
