import type { Knex } from 'knex';

// Bounds what an import keeps: the file is dropped (set to NULL) once it is read into pieces, and of the rows
// skipped while reading only the first 1,000 are stored, with their count beside them.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE contact_imports ALTER COLUMN csv DROP NOT NULL');
  await knex.schema.alterTable('contact_imports', (t) => {
    // Rows skipped while reading the file, all of them (`skipped` holds the first 1,000).
    t.integer('read_skipped').notNullable().defaultTo(0);
  });
  await knex.raw('UPDATE contact_imports SET read_skipped = jsonb_array_length(skipped)');
  // Imports already read keep no copy of their file.
  await knex.raw('UPDATE contact_imports SET csv = NULL WHERE pieces_total IS NOT NULL');
  // One running import per team (queued, reading or importing): the API refuses a second one with 409; this
  // index holds that rule against two requests at the same time.
  await knex.raw(`
    CREATE UNIQUE INDEX contact_imports_one_running_per_team ON contact_imports (team_id)
      WHERE status IN ('queued', 'reading', 'importing')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS contact_imports_one_running_per_team');
  await knex.schema.alterTable('contact_imports', (t) => {
    t.dropColumn('read_skipped');
  });
  await knex.raw(`UPDATE contact_imports SET csv = ''::bytea WHERE csv IS NULL`);
  await knex.raw('ALTER TABLE contact_imports ALTER COLUMN csv SET NOT NULL');
}
