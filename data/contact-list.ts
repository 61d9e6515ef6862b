import type { Knex } from 'knex';
import type { CsvContact, ImportSkip } from '../lib/contacts/csv';
import { CONTACT_SEARCH_COUNT_CAP, MAX_TAGS_PER_CONTACT } from '../lib/contacts/fields';
import {
  contactColumns,
  findContact,
  type ContactRow,
  type ContactSource,
  type ContactStatus,
} from './contacts';
import { containsPattern, prefixPattern } from './like';

type Db = Knex | Knex.Transaction;

export const CONTACT_EMAIL_UNIQUE_INDEX = 'contacts_team_id_email_unique';

/** Where the next page starts: created_at as PostgreSQL text (keeps the microseconds a JS Date drops) and id. */
export interface ContactCursor {
  createdAt: string;
  id: string;
}

export interface ContactFilter {
  q?: string;
  tag?: string;
  status?: ContactStatus;
}

/**
 * What a contact search matches: email, first and last name in one lower-cased text, so "ana lopez" finds Ana
 * Lopez. Exactly the expression of the trigram index contacts_search_trgm (migration 20261206000100), so a
 * search is an index lookup instead of a scan of the team's rows. `||` and coalesce are immutable, as an index
 * expression must be (concat_ws is not).
 */
const CONTACT_SEARCH_TEXT =
  "lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, ''))";

/**
 * A trigram index only helps a term with three letters or digits in a row (pg_trgm ignores other characters, and
 * "a" or "%%%" yield no trigram, so such a search would read every contact of the team). Shorter terms match the
 * start of the email, first or last name instead, served by the prefix indexes of migration 20261206200000
 * ("jo" finds John and jo@example.com): what a person typing one or two letters expects.
 */
const searchesInside = (q: string) => /[\p{L}\p{N}]{3}/u.test(q);

function applyFilter(query: Knex.QueryBuilder, teamId: string, f: ContactFilter): Knex.QueryBuilder {
  query.where('team_id', teamId);
  if (f.status) query.andWhere('status', f.status);
  if (f.tag) query.andWhereRaw('tags @> array[?]::text[]', [f.tag]);
  if (f.q && searchesInside(f.q)) {
    query.andWhereRaw(`${CONTACT_SEARCH_TEXT} like lower(?)`, [containsPattern(f.q)]);
  } else if (f.q) {
    const q = f.q.trim();
    const prefix = prefixPattern(q);
    const [firstWord = '', ...rest] = q.split(/\s+/);
    query.andWhere((w) => {
      w.whereRaw('lower(email) like lower(?)', [prefix])
        .orWhereRaw('lower(first_name) like lower(?)', [prefix])
        .orWhereRaw('lower(last_name) like lower(?)', [prefix]);
      // "Jo Sm": the start of the first name and the start of the last name (first name's prefix index).
      if (rest.length > 0) {
        w.orWhereRaw('lower(first_name) like lower(?) and lower(last_name) like lower(?)', [
          prefixPattern(firstWord),
          prefixPattern(rest.join(' ')),
        ]);
      }
    });
  }
  return query;
}

/** One page, newest first (created_at, id descending); `next` is set when more rows follow. */
export async function listContacts(
  db: Db,
  teamId: string,
  f: ContactFilter & { limit: number; after?: ContactCursor },
): Promise<{ contacts: ContactRow[]; next: ContactCursor | null }> {
  const query = applyFilter(db('contacts'), teamId, f);
  if (f.after) {
    query.andWhereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [f.after.createdAt, f.after.id]);
  }
  const rows = await query
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(f.limit + 1)
    .select<(ContactRow & { cursorAt: string })[]>([
      ...contactColumns,
      db.raw('created_at::text as "cursorAt"'),
    ]);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const next = rows.length > f.limit && last ? { createdAt: last.cursorAt, id: last.id } : null;
  return { contacts: page.map(({ cursorAt: _c, ...row }) => row), next };
}

/**
 * How many contacts match. A search (q) counts at most CONTACT_SEARCH_COUNT_CAP + 1 rows, so a term that matches
 * most of a big list costs a bounded read; `capped` then says the real number is higher.
 */
export async function countContacts(
  db: Db,
  teamId: string,
  f: ContactFilter,
): Promise<{ total: number; capped: boolean }> {
  if (!f.q) {
    const [row] = await applyFilter(db('contacts'), teamId, f).count<{ n: string }[]>('* as n');
    return { total: Number(row?.n ?? 0), capped: false };
  }
  const matches = applyFilter(db('contacts'), teamId, f)
    .select(db.raw('1'))
    .limit(CONTACT_SEARCH_COUNT_CAP + 1)
    .as('matches');
  const [row] = await db.from(matches).count<{ n: string }[]>('* as n');
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, CONTACT_SEARCH_COUNT_CAP), capped: n > CONTACT_SEARCH_COUNT_CAP };
}

export async function contactTagCounts(db: Db, teamId: string): Promise<{ tag: string; count: number }[]> {
  const { rows } = await db.raw<{ rows: { tag: string; count: string }[] }>(
    `SELECT tag, count(*) AS count
       FROM contacts, unnest(tags) AS tag
      WHERE team_id = ?
      GROUP BY tag
      ORDER BY count(*) DESC, tag`,
    [teamId],
  );
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}

/** A new contact; throws the unique violation on CONTACT_EMAIL_UNIQUE_INDEX when the address is taken. */
export async function insertContact(
  db: Db,
  c: {
    teamId: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    tags: string[];
    source: ContactSource;
  },
): Promise<ContactRow> {
  const rows = await db('contacts')
    .insert({
      team_id: c.teamId,
      email: c.email,
      first_name: c.firstName,
      last_name: c.lastName,
      tags: c.tags,
      source: c.source,
    })
    .returning<ContactRow[]>(contactColumns);
  const row = rows[0];
  if (!row) throw new Error('contact insert returned no row');
  return row;
}

/** Names and tags only: the status has its own rules (setContactStatus). */
export async function updateContactFields(
  db: Db,
  teamId: string,
  contactId: string,
  patch: { firstName?: string | null; lastName?: string | null; tags?: string[] },
): Promise<ContactRow | undefined> {
  const changes: Record<string, unknown> = {};
  if (patch.firstName !== undefined) changes.first_name = patch.firstName;
  if (patch.lastName !== undefined) changes.last_name = patch.lastName;
  if (patch.tags !== undefined) changes.tags = patch.tags;
  if (Object.keys(changes).length === 0) return findContact(db, teamId, contactId);
  const rows = await db('contacts')
    .where({ team_id: teamId, id: contactId })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning<ContactRow[]>(contactColumns);
  return rows[0];
}

export async function deleteContact(db: Db, teamId: string, contactId: string): Promise<boolean> {
  return (await db('contacts').where({ team_id: teamId, id: contactId }).delete()) > 0;
}

/** The current tags of those of `emails` the team already has (for the per-contact tag limit). */
async function tagsByEmail(db: Db, teamId: string, emails: string[]): Promise<Map<string, string[]>> {
  if (emails.length === 0) return new Map();
  const rows = await db('contacts')
    .where('team_id', teamId)
    .whereRaw('email = any(?::text[])', [emails])
    .select<{ email: string; tags: string[] }[]>('email', 'tags');
  return new Map(rows.map((r) => [r.email, r.tags]));
}

interface BulkContact {
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
}

/**
 * One statement for many contacts (distinct emails, already normalized): new addresses are inserted, existing
 * ones get the new tags added (sorted, distinct, never more than maxTags: then the old tags stay) and empty
 * names filled. Status and source are never touched, so an unsubscribed reader stays unsubscribed. Rows with
 * nothing new are not written at all. Returns how many rows were created and how many updated.
 */
async function bulkUpsertContacts(
  db: Db,
  teamId: string,
  source: ContactSource,
  contacts: BulkContact[],
  maxTags: number,
): Promise<{ created: number; updated: number; rows: UpsertedContact[] }> {
  if (contacts.length === 0) return { created: 0, updated: 0, rows: [] };
  const payload = JSON.stringify(
    contacts.map((c) => ({ email: c.email, first_name: c.firstName, last_name: c.lastName, tags: c.tags })),
  );
  const { rows } = await db.raw<{ rows: UpsertedContact[] }>(
    `INSERT INTO contacts AS c (team_id, email, first_name, last_name, tags, source)
     SELECT ?::uuid, r.email, r.first_name, r.last_name, coalesce(r.tags, '{}'), ?
       FROM jsonb_to_recordset(?::jsonb) AS r(email text, first_name text, last_name text, tags text[])
     ON CONFLICT (team_id, email) DO UPDATE SET
       first_name = coalesce(c.first_name, excluded.first_name),
       last_name = coalesce(c.last_name, excluded.last_name),
       tags = CASE
         WHEN c.tags @> excluded.tags THEN c.tags
         WHEN cardinality(array(SELECT DISTINCT unnest(c.tags || excluded.tags))) > ? THEN c.tags
         ELSE array(SELECT DISTINCT t FROM unnest(c.tags || excluded.tags) AS t ORDER BY t)
       END,
       updated_at = now()
     WHERE (c.first_name IS NULL AND excluded.first_name IS NOT NULL)
        OR (c.last_name IS NULL AND excluded.last_name IS NOT NULL)
        OR (NOT c.tags @> excluded.tags
            AND cardinality(array(SELECT DISTINCT unnest(c.tags || excluded.tags))) <= ?)
     RETURNING (xmax = 0) AS inserted, c.id, c.email, c.first_name AS "firstName", c.last_name AS "lastName",
       c.tags, c.status, c.source`,
    [teamId, source, payload, maxTags, maxTags],
  );
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, rows };
}

/** A contact an upsert wrote (inserted, or updated with new names or tags), as it is after the statement. */
interface UpsertedContact {
  inserted: boolean;
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  status: ContactStatus;
  source: ContactSource;
}

/** A contact an import created or gave new tags (for the platform events automations listen to). */
export interface ImportedContactChange {
  contact: Omit<UpsertedContact, 'inserted'>;
  created: boolean;
  /** Tags it did not have before (all its tags when created). */
  tagsAdded: string[];
}

export interface ImportedBatch {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows refused here: the contact already has tags, and this row's would take it past the limit. */
  skipped: ImportSkip[];
  /** The contacts created or newly tagged (rows with only a name filled in are not listed). */
  changes: ImportedContactChange[];
}

/**
 * One batch of a CSV import (distinct addresses, one statement, at most ~1000 rows): the per-contact tag limit
 * is checked against the tags contacts already have (such a row is reported, not silently cut), then the rest
 * is upserted with source 'import'. Rows are written in address order, so two imports of overlapping files
 * wait for each other instead of deadlocking. Run it inside the caller's transaction.
 */
export async function upsertImportedContacts(
  db: Db,
  teamId: string,
  batch: CsvContact[],
): Promise<ImportedBatch> {
  const contacts = [...batch].sort((x, y) => (x.email < y.email ? -1 : x.email > y.email ? 1 : 0));
  const skipped: ImportSkip[] = [];
  const existing = await tagsByEmail(
    db,
    teamId,
    contacts.filter((c) => c.tags.length > 0).map((c) => c.email),
  );
  const fitting = contacts.filter((c) => {
    const current = existing.get(c.email);
    if (!current) return true;
    const merged = new Set([...current, ...c.tags]).size;
    if (merged <= MAX_TAGS_PER_CONTACT) return true;
    skipped.push({
      line: c.line,
      field: 'tags',
      message: `At most ${MAX_TAGS_PER_CONTACT} tags per contact: ${c.email} has ${current.length} and this row would make ${merged}`,
    });
    return false;
  });
  const { rows, ...result } = await bulkUpsertContacts(db, teamId, 'import', fitting, MAX_TAGS_PER_CONTACT);
  const changes: ImportedContactChange[] = [];
  for (const { inserted, ...contact } of rows) {
    const before = inserted ? [] : (existing.get(contact.email) ?? contact.tags);
    const tagsAdded = contact.tags.filter((t) => !before.includes(t));
    if (inserted || tagsAdded.length > 0) changes.push({ contact, created: inserted, tagsAdded });
  }
  return { ...result, unchanged: fitting.length - result.created - result.updated, skipped, changes };
}
