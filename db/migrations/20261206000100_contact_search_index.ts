import type { Knex } from 'knex';

// Contact search as an index lookup. The search matches one lower-cased text of a contact (email, first and last
// name: data/contact-list.ts, CONTACT_SEARCH_TEXT, the very same expression) with `LIKE '%words%'`; a pg_trgm GIN
// index answers that without reading every row of the team. Where pg_trgm cannot be created (not installed, or no
// right to create it), a btree on lower(email) with text_pattern_ops at least serves prefix matches, and the
// search stays correct, only slower. PGlite (the embedded default) loads pg_trgm in db/connection.ts.
// Built inside the migration's transaction (CREATE INDEX CONCURRENTLY cannot be): writes to contacts wait while it
// builds, seconds for a million contacts.

const SEARCH_TEXT = "lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, ''))";

/** Creates pg_trgm when the server offers it; false (and nothing changed) when it does not or we may not. */
async function createTrigramExtension(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw<{ rows: unknown[] }>(
    "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'",
  );
  if (rows.length === 0) return false;
  try {
    // A savepoint: a refused CREATE EXTENSION (insufficient privilege) must not abort the migration.
    await knex.transaction(async (savepoint) => {
      await savepoint.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    });
    return true;
  } catch {
    return false;
  }
}

export async function up(knex: Knex): Promise<void> {
  if (await createTrigramExtension(knex)) {
    await knex.raw(`CREATE INDEX contacts_search_trgm ON contacts USING gin ((${SEARCH_TEXT}) gin_trgm_ops)`);
  } else {
    await knex.raw('CREATE INDEX contacts_email_prefix ON contacts (lower(email) text_pattern_ops)');
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS contacts_search_trgm');
  await knex.raw('DROP INDEX IF EXISTS contacts_email_prefix');
  try {
    // Only when nothing else uses it (no CASCADE): another schema object may rely on pg_trgm.
    await knex.transaction(async (savepoint) => {
      await savepoint.raw('DROP EXTENSION IF EXISTS pg_trgm');
    });
  } catch {
    // still in use elsewhere: keep it
  }
}
