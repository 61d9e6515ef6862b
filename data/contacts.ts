import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type ContactStatus = 'active' | 'unsubscribed' | 'inactive';
export type ContactSource = 'import' | 'sale' | 'manual' | 'api';

export interface ContactRow {
  id: string;
  teamId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  source: ContactSource;
  status: ContactStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const contactColumns = [
  'id',
  'team_id as teamId',
  'email',
  'first_name as firstName',
  'last_name as lastName',
  'tags',
  'source',
  'status',
  'status_reason as statusReason',
  'status_changed_at as statusChangedAt',
  'created_at as createdAt',
  'updated_at as updatedAt',
];

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const normalizeTags = (tags: readonly string[] = []): string[] => [
  ...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== '')),
];

/**
 * Adds a contact or merges into the existing one (same team and address): tags are added, empty names filled.
 * The status is never touched, so an unsubscribed or inactive reader stays that way whatever adds them again.
 */
export async function upsertContact(
  db: Db,
  c: {
    teamId: string;
    email: string;
    firstName?: string | null;
    lastName?: string | null;
    tags?: readonly string[];
    source: ContactSource;
  },
): Promise<ContactRow> {
  const rows = await db('contacts')
    .insert({
      team_id: c.teamId,
      email: normalizeEmail(c.email),
      first_name: c.firstName?.trim() || null,
      last_name: c.lastName?.trim() || null,
      tags: normalizeTags(c.tags),
      source: c.source,
    })
    .onConflict(db.raw('(team_id, email)'))
    .merge({
      first_name: db.raw('coalesce(contacts.first_name, excluded.first_name)'),
      last_name: db.raw('coalesce(contacts.last_name, excluded.last_name)'),
      tags: db.raw(
        'array(select distinct t from unnest(contacts.tags || excluded.tags) as t order by t)::text[]',
      ),
      updated_at: db.fn.now(),
    })
    .returning<ContactRow[]>(contactColumns);
  const row = rows[0];
  if (!row) throw new Error('contact upsert returned no row');
  return row;
}

export async function findContact(
  db: Db,
  teamId: string,
  contactId: string,
): Promise<ContactRow | undefined> {
  return db('contacts')
    .where({ team_id: teamId, id: contactId })
    .first<ContactRow | undefined>(contactColumns);
}

/**
 * Changes a contact's status. Leaving 'active' is final for automatic callers: an unsubscribed contact is not
 * turned 'inactive' by a later bounce (the first reason is kept), and nothing here re-activates one.
 */
export async function setContactStatus(
  db: Db,
  s: { teamId: string; contactId: string; status: Exclude<ContactStatus, 'active'>; reason: string },
): Promise<ContactRow | undefined> {
  const rows = await db('contacts')
    .where({ team_id: s.teamId, id: s.contactId, status: 'active' })
    .update({
      status: s.status,
      status_reason: s.reason,
      status_changed_at: db.fn.now(),
      updated_at: db.fn.now(),
    })
    .returning<ContactRow[]>(contactColumns);
  return rows[0] ?? findContact(db, s.teamId, s.contactId);
}

/** The status of each of these contacts of the team, in one query; a missing id was deleted. */
export async function findContactStatuses(
  db: Db,
  teamId: string,
  contactIds: string[],
): Promise<Map<string, ContactStatus>> {
  if (contactIds.length === 0) return new Map();
  const rows = await db('contacts')
    .where({ team_id: teamId })
    .whereIn('id', contactIds)
    .select<{ id: string; status: ContactStatus }[]>('id', 'status');
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** The contact's status, row-locked until the transaction ends (so a concurrent change waits its turn). */
export async function lockContactStatus(
  trx: Knex.Transaction,
  teamId: string,
  contactId: string,
): Promise<ContactStatus | undefined> {
  const row = await trx('contacts')
    .where({ team_id: teamId, id: contactId })
    .forUpdate()
    .first<{ status: ContactStatus } | undefined>('status');
  return row?.status;
}

/** The team's contacts among `ids` (ids of other teams or of no contact are left out). */
export function findContactsByIds(db: Db, teamId: string, ids: string[]): Promise<ContactRow[]> {
  return db('contacts').where({ team_id: teamId }).whereIn('id', ids).select<ContactRow[]>(contactColumns);
}

/** One keyset page (by id) of the team's contacts carrying `tag`. */
export function pageContactsWithTag(
  db: Db,
  teamId: string,
  tag: string,
  after: string | null,
  limit: number,
): Promise<Pick<ContactRow, 'id' | 'email' | 'status'>[]> {
  const q = db('contacts').where({ team_id: teamId }).whereRaw('tags @> ARRAY[?]::text[]', [tag]);
  if (after) q.andWhere('id', '>', after);
  return q.orderBy('id').limit(limit).select('id', 'email', 'status');
}
