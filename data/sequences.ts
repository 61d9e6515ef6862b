import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type SequenceTrigger = 'manual' | 'sale';

export interface SequenceRow {
  id: string;
  teamId: string;
  campaignId: string;
  name: string;
  trigger: SequenceTrigger;
  stepCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface SequenceStep {
  subject: string;
  body: string;
  delaySeconds: number;
}

export interface SequenceStepRow extends SequenceStep {
  id: string;
  position: number;
}

const columns = [
  's.id',
  's.team_id as teamId',
  's.campaign_id as campaignId',
  's.name',
  's.trigger',
  's.created_at as createdAt',
  's.updated_at as updatedAt',
];

const stepCount = (db: Db) =>
  db.raw('(SELECT count(*)::int FROM email_sequence_steps st WHERE st.sequence_id = s.id) AS "stepCount"');

function selectSequences(db: Db) {
  return db({ s: 'email_sequences' }).select([...columns, stepCount(db)]);
}

export async function insertSequence(
  db: Db,
  s: { teamId: string; campaignId: string; name: string; trigger: SequenceTrigger; createdBy: string },
): Promise<string> {
  const rows = await db('email_sequences')
    .insert({
      team_id: s.teamId,
      campaign_id: s.campaignId,
      name: s.name,
      trigger: s.trigger,
      created_by: s.createdBy,
    })
    .returning<{ id: string }[]>('id');
  const row = rows[0];
  if (!row) throw new Error('sequence insert returned no row');
  return row.id;
}

/** Team-scoped: another team's sequence id is not found. */
export function findSequence(db: Db, teamId: string, sequenceId: string): Promise<SequenceRow | undefined> {
  return selectSequences(db)
    .where({ 's.team_id': teamId, 's.id': sequenceId })
    .first<SequenceRow | undefined>();
}

export function listSequences(db: Db, teamId: string, campaignId?: string): Promise<SequenceRow[]> {
  const q = selectSequences(db).where({ 's.team_id': teamId });
  if (campaignId) q.andWhere({ 's.campaign_id': campaignId });
  return q.orderBy([
    { column: 's.created_at', order: 'desc' },
    { column: 's.id', order: 'desc' },
  ]);
}

/** The campaign's sequences that enroll its buyers. */
export function listSaleSequences(
  db: Db,
  teamId: string,
  campaignId: string,
): Promise<{ id: string; name: string }[]> {
  return db('email_sequences')
    .where({ team_id: teamId, campaign_id: campaignId, trigger: 'sale' })
    .orderBy('created_at')
    .select<{ id: string; name: string }[]>('id', 'name');
}

export async function updateSequence(
  db: Db,
  teamId: string,
  sequenceId: string,
  patch: { name?: string; trigger?: SequenceTrigger },
): Promise<boolean> {
  const count = await db('email_sequences')
    .where({ team_id: teamId, id: sequenceId })
    .update({ ...patch, updated_at: db.fn.now() });
  return count > 0;
}

export async function deleteSequence(db: Db, teamId: string, sequenceId: string): Promise<boolean> {
  return (await db('email_sequences').where({ team_id: teamId, id: sequenceId }).delete()) > 0;
}

export function listSteps(db: Db, teamId: string, sequenceId: string): Promise<SequenceStepRow[]> {
  return db('email_sequence_steps')
    .where({ team_id: teamId, sequence_id: sequenceId })
    .orderBy('position')
    .select<SequenceStepRow[]>(['id', 'position', 'subject', 'body', 'delay_seconds as delaySeconds']);
}

/** Replaces the ordered steps in one transaction (runs already started keep their own snapshot). */
export async function replaceSteps(
  db: Knex,
  teamId: string,
  sequenceId: string,
  steps: SequenceStep[],
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('email_sequence_steps').where({ team_id: teamId, sequence_id: sequenceId }).delete();
    if (steps.length > 0) {
      await trx('email_sequence_steps').insert(
        steps.map((step, position) => ({
          team_id: teamId,
          sequence_id: sequenceId,
          position,
          subject: step.subject,
          body: step.body,
          delay_seconds: step.delaySeconds,
        })),
      );
    }
    await trx('email_sequences')
      .where({ team_id: teamId, id: sequenceId })
      .update({ updated_at: trx.fn.now() });
  });
}

export interface CampaignTemplateData {
  id: string;
  name: string;
  hoplink: string;
  /** The slug of the campaign's primary tracking link: `{{ hoplink }}` becomes that link (campaignLink). */
  trackingSlug: string | null;
  productTitle: string | null;
}

/** What a campaign contributes to template variables: its name, links and product title. */
export function findCampaignTemplateData(
  db: Db,
  teamId: string,
  campaignId: string,
): Promise<CampaignTemplateData | undefined> {
  return db({ c: 'campaigns' })
    .leftJoin({ p: 'products' }, 'p.id', 'c.product_id')
    .where({ 'c.team_id': teamId, 'c.id': campaignId })
    .first<CampaignTemplateData | undefined>([
      'c.id',
      'c.name',
      'c.hoplink',
      db.raw(
        '(SELECT l.slug FROM tracking_links l WHERE l.campaign_id = c.id AND l.is_primary) AS "trackingSlug"',
      ),
      'p.title as productTitle',
    ]);
}
