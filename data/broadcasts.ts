import { broadcastWorkflowId } from '../workflows/contracts/broadcast';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type BroadcastStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';

export interface BroadcastRow {
  id: string;
  teamId: string;
  name: string;
  subject: string;
  body: string;
  tag: string;
  /** The campaign whose tracking link `{{ hoplink }}` becomes; null: none (the variable is then empty). */
  campaignId: string | null;
  sendAt: Date;
  status: BroadcastStatus;
  recipients: number;
  sent: number;
  skipped: number;
  refused: number;
  workflowId: string;
  failure: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface BroadcastCounts {
  recipients: number;
  sent: number;
  skipped: number;
  refused: number;
}

const columns = [
  'id',
  'team_id as teamId',
  'name',
  'subject',
  'body',
  'tag',
  'campaign_id as campaignId',
  'send_at as sendAt',
  'status',
  'recipients',
  'sent',
  'skipped',
  'refused',
  'workflow_id as workflowId',
  'failure',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'started_at as startedAt',
  'finished_at as finishedAt',
];

export async function insertBroadcast(
  db: Db,
  b: {
    id: string;
    teamId: string;
    name: string;
    subject: string;
    body: string;
    tag: string;
    campaignId?: string | null;
    sendAt: Date;
    createdBy: string;
  },
): Promise<BroadcastRow> {
  const rows = await db('broadcasts')
    .insert({
      id: b.id,
      team_id: b.teamId,
      name: b.name,
      subject: b.subject,
      body: b.body,
      tag: b.tag,
      campaign_id: b.campaignId ?? null,
      send_at: b.sendAt,
      workflow_id: broadcastWorkflowId(b.id),
      created_by: b.createdBy,
    })
    .returning<BroadcastRow[]>(columns);
  const row = rows[0];
  if (!row) throw new Error('broadcast insert returned no row');
  return row;
}

/** Team-scoped: another team's broadcast id is not found. */
export function findBroadcast(
  db: Db,
  teamId: string,
  broadcastId: string,
): Promise<BroadcastRow | undefined> {
  return db('broadcasts')
    .where({ team_id: teamId, id: broadcastId })
    .first<BroadcastRow | undefined>(columns);
}

export function listBroadcasts(db: Db, teamId: string, limit: number): Promise<BroadcastRow[]> {
  return db('broadcasts')
    .where({ team_id: teamId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit)
    .select<BroadcastRow[]>(columns);
}

/**
 * Moves a broadcast from one of `from` to `status`; false when it was not in one of them (a cancel that lost
 * the race against the send, a duplicate activity attempt).
 */
export async function setBroadcastStatus(
  db: Db,
  b: {
    teamId: string;
    broadcastId: string;
    from: BroadcastStatus[];
    status: BroadcastStatus;
    failure?: string;
  },
): Promise<boolean> {
  const count = await db('broadcasts')
    .where({ team_id: b.teamId, id: b.broadcastId })
    .whereIn('status', b.from)
    .update({
      status: b.status,
      ...(b.failure !== undefined ? { failure: b.failure } : {}),
      ...(b.status === 'sending' ? { started_at: db.raw('coalesce(started_at, now())') } : {}),
      ...(b.status !== 'scheduled' && b.status !== 'sending' ? { finished_at: db.fn.now() } : {}),
      updated_at: db.fn.now(),
    });
  return count > 0;
}

/** Absolute totals (not increments), so a retried activity writes the same numbers again. */
export async function recordBroadcastCounts(
  db: Db,
  teamId: string,
  broadcastId: string,
  counts: BroadcastCounts,
): Promise<void> {
  await db('broadcasts')
    .where({ team_id: teamId, id: broadcastId })
    .update({ ...counts, updated_at: db.fn.now() });
}

export interface AudienceContact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

/** One keyset page of the tag's active contacts, by id. */
export function audiencePage(
  db: Db,
  q: { teamId: string; tag: string; afterId: string | null; limit: number },
): Promise<AudienceContact[]> {
  const query = db('contacts')
    .where({ team_id: q.teamId, status: 'active' })
    .whereRaw('tags @> ARRAY[?]::text[]', [q.tag]);
  if (q.afterId) query.andWhere('id', '>', q.afterId);
  return query
    .orderBy('id')
    .limit(q.limit)
    .select<AudienceContact[]>(['id', 'email', 'first_name as firstName', 'last_name as lastName']);
}
