import type { Knex } from 'knex';

// Contact searches of one or two letters (or only punctuation) yield no trigram, so the trigram index of
// 20261206000100 cannot serve them; data/contact-list.ts matches such a term at the start of the email, first or
// last name instead, and these btree indexes (text_pattern_ops: LIKE 'abc%' as a range scan) answer it per team.

const COLUMNS = ['email', 'first_name', 'last_name'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const column of COLUMNS) {
    await knex.raw(
      `CREATE INDEX contacts_team_${column}_prefix ON contacts (team_id, lower(${column}) text_pattern_ops)`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const column of COLUMNS) await knex.raw(`DROP INDEX IF EXISTS contacts_team_${column}_prefix`);
}
