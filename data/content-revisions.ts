import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** draft: text the pipeline wrote; revise: a reviewer's request for changes; edit: text a reviewer saved. */
export const contentRevisionKinds = ['draft', 'revise', 'edit'] as const;
type ContentRevisionKind = (typeof contentRevisionKinds)[number];

export interface ContentRevisionView {
  id: string;
  contentId: string;
  kind: ContentRevisionKind;
  body: string | null;
  note: string | null;
  /** null for the pipeline's drafts (and for people since removed). */
  author: { id: string; name: string } | null;
  createdAt: Date;
}

interface RevisionDbRow {
  id: string;
  content_id: string;
  kind: ContentRevisionKind;
  body: string | null;
  note: string | null;
  created_by: string | null;
  author_name: string | null;
  created_at: Date;
}

const toView = (r: RevisionDbRow): ContentRevisionView => ({
  id: r.id,
  contentId: r.content_id,
  kind: r.kind,
  body: r.body,
  note: r.note,
  author: r.created_by && r.author_name !== null ? { id: r.created_by, name: r.author_name } : null,
  createdAt: r.created_at,
});

export interface NewContentRevision {
  teamId: string;
  contentId: string;
  kind: ContentRevisionKind;
  body?: string | null;
  note?: string | null;
  createdBy?: string | null;
}

export async function insertContentRevision(db: Db, r: NewContentRevision): Promise<string> {
  const rows = await db('content_revisions')
    .insert({
      team_id: r.teamId,
      content_id: r.contentId,
      kind: r.kind,
      body: r.body ?? null,
      note: r.note ?? null,
      created_by: r.createdBy ?? null,
    })
    .returning<{ id: string }[]>('id');
  const id = rows[0]?.id;
  if (!id) throw new Error('content revision insert returned no row');
  return id;
}

const revisions = (db: Db, teamId: string, contentId: string) =>
  db('content_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .where({ 'r.team_id': teamId, 'r.content_id': contentId })
    .select<RevisionDbRow[]>(
      'r.id',
      'r.content_id',
      'r.kind',
      'r.body',
      'r.note',
      'r.created_by',
      'u.name as author_name',
      'r.created_at',
    );

/** Team-scoped history of one item, oldest first. */
export async function listContentRevisions(
  db: Db,
  teamId: string,
  contentId: string,
): Promise<ContentRevisionView[]> {
  const rows = await revisions(db, teamId, contentId).orderBy([
    { column: 'r.created_at', order: 'asc' },
    { column: 'r.id', order: 'asc' },
  ]);
  return rows.map(toView);
}

/** Team- and item-scoped: a revision of another item or team is not found. */
export async function findContentRevision(
  db: Db,
  teamId: string,
  contentId: string,
  revisionId: string,
): Promise<ContentRevisionView | undefined> {
  const rows = await revisions(db, teamId, contentId).andWhere('r.id', revisionId).limit(1);
  return rows[0] && toView(rows[0]);
}

/** The newest revision with text (a draft or an edit): what the reviewer is looking at. */
export async function latestTextRevision(
  db: Db,
  teamId: string,
  contentId: string,
): Promise<ContentRevisionView | undefined> {
  const rows = await revisions(db, teamId, contentId)
    .whereNot('r.kind', 'revise')
    .orderBy([
      { column: 'r.created_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(1);
  return rows[0] && toView(rows[0]);
}

/**
 * A reviewer's edit: becomes the item's text and a revision, in one transaction, only while the item awaits
 * review (not while Claude writes or after a decision). undefined when the item is not in review.
 */
export async function saveContentEdit(
  db: Knex,
  e: { teamId: string; contentId: string; body: string; userId: string },
): Promise<string | undefined> {
  return db.transaction(async (trx) => {
    const updated = await trx('content')
      .where({ id: e.contentId, team_id: e.teamId, status: 'awaiting_review', step: 'review' })
      .update({ body: e.body, updated_at: trx.fn.now() });
    if (updated === 0) return undefined;
    return insertContentRevision(trx, {
      teamId: e.teamId,
      contentId: e.contentId,
      kind: 'edit',
      body: e.body,
      createdBy: e.userId,
    });
  });
}
