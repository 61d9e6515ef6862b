import type { Knex } from 'knex';

// Big CSV imports run as a workflow: the file is stored here, read once into pieces of ~1000 contacts, and each
// piece is upserted in its own short transaction that also marks it done (so a retry never applies it twice).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_imports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('team_id').notNullable().references('teams.id').onDelete('CASCADE');
    t.uuid('created_by').references('users.id').onDelete('SET NULL');
    // queued -> reading -> importing -> finished | failed
    t.text('status').notNullable().defaultTo('queued');
    // Added to every imported contact.
    t.specificType('tags', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    // The file as received (UTF-8): bytes, so a NUL in it reaches the reader, which names the cell.
    t.binary('csv').notNullable();
    t.integer('file_bytes').notNullable();
    t.text('workflow_id').notNullable();
    // Known once the file is read: data rows in the file and pieces to import.
    t.integer('total');
    t.integer('pieces_total');
    t.integer('pieces_done').notNullable().defaultTo(0);
    // Rows of the file accounted for: skipped and duplicate rows once read, then each piece's rows.
    t.integer('rows_done').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('duplicates').notNullable().defaultTo(0);
    // Rows refused while reading the file ({ line, field, message }); pieces keep their own.
    t.jsonb('skipped').notNullable().defaultTo(knex.raw("'[]'::jsonb"));
    // { message, details: [{ path, message }] } when the import failed.
    t.jsonb('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['team_id', 'created_at']);
  });
  await knex.raw(`
    ALTER TABLE contact_imports
      ADD CONSTRAINT contact_imports_status_check
      CHECK (status IN ('queued','reading','importing','finished','failed'))`);

  await knex.schema.createTable('contact_import_pieces', (t) => {
    t.uuid('import_id').notNullable().references('contact_imports.id').onDelete('CASCADE');
    t.integer('piece').notNullable();
    // [{ line, email, firstName, lastName, tags }]: distinct addresses, already validated.
    t.jsonb('contacts').notNullable();
    t.integer('rows').notNullable();
    // Set in the transaction that upserted the piece's contacts.
    t.timestamp('done_at', { useTz: true });
    t.integer('created');
    t.integer('updated');
    t.integer('unchanged');
    t.jsonb('skipped').notNullable().defaultTo(knex.raw("'[]'::jsonb"));
    t.primary(['import_id', 'piece']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('contact_import_pieces');
  await knex.schema.dropTableIfExists('contact_imports');
}
