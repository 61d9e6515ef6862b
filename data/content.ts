import type { Knex } from 'knex';
import type { Model, QueryBuilder } from 'objection';
import { Campaign } from '../db/models/campaign';
import { contentWorkflowId } from '../workflows/contracts/content-pipeline';
import type { ContentLength, ContentType } from '../lib/content/prompts';
import { insertContentRevision } from './content-revisions';

import type { ContentStatus } from '../workflows/contracts/content-pipeline';

type Db = Knex | Knex.Transaction;

export type { ContentStatus } from '../workflows/contracts/content-pipeline';

export interface ContentView {
  id: string;
  teamId: string;
  campaignId: string | null;
  type: ContentType;
  title: string;
  status: ContentStatus;
  step: string | null;
  tone: string;
  keywords: string[];
  length: ContentLength;
  brief: string | null;
  outline: string | null;
  body: string | null;
  reviewNotes: string | null;
  failure: string | null;
  publishAt: Date | null;
  publishedUrl: string | null;
  wordpressPostId: number | null;
  tokens: { input: number; output: number };
  workflowId: string;
  createdAt: Date;
  updatedAt: Date;
}

interface ContentDbRow {
  id: string;
  team_id: string;
  campaign_id: string | null;
  type: ContentType;
  title: string;
  status: ContentStatus;
  step: string | null;
  tone: string;
  keywords: string[];
  length: ContentLength;
  brief: { text?: string } | null;
  outline: string | null;
  body: string | null;
  review_notes: string | null;
  failure: string | null;
  publish_at: Date | null;
  published_url: string | null;
  wordpress_post_id: string | null;
  input_tokens: number;
  output_tokens: number;
  created_at: Date;
  updated_at: Date;
}

const toView = (r: ContentDbRow): ContentView => ({
  id: r.id,
  teamId: r.team_id,
  campaignId: r.campaign_id,
  type: r.type,
  title: r.title,
  status: r.status,
  step: r.step,
  tone: r.tone,
  keywords: r.keywords,
  length: r.length,
  brief: r.brief?.text ?? null,
  outline: r.outline,
  body: r.body,
  reviewNotes: r.review_notes,
  failure: r.failure,
  publishAt: r.publish_at,
  publishedUrl: r.published_url,
  wordpressPostId: r.wordpress_post_id === null ? null : Number(r.wordpress_post_id),
  tokens: { input: r.input_tokens, output: r.output_tokens },
  workflowId: contentWorkflowId(r.id),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewContent {
  id: string;
  teamId: string;
  campaignId: string;
  type: ContentType;
  title: string;
  tone: string;
  keywords: string[];
  length: ContentLength;
  createdBy: string;
}

export async function insertContent(db: Db, c: NewContent): Promise<ContentView> {
  const rows = await db('content')
    .insert({
      id: c.id,
      team_id: c.teamId,
      campaign_id: c.campaignId,
      type: c.type,
      title: c.title,
      tone: c.tone,
      keywords: c.keywords,
      length: c.length,
      status: 'generating',
      step: 'brief',
      created_by: c.createdBy,
    })
    .returning<ContentDbRow[]>('*');
  const row = rows[0];
  if (!row) throw new Error('content insert returned no row');
  return toView(row);
}

/** Team-scoped: another team's id is not found. */
export async function findContent(
  db: Db,
  teamId: string,
  contentId: string,
): Promise<ContentView | undefined> {
  const row = await db('content').where({ team_id: teamId, id: contentId }).first<ContentDbRow | undefined>();
  return row ? toView(row) : undefined;
}

export async function listContent(
  db: Db,
  teamId: string,
  opts: { status?: ContentStatus; limit: number },
): Promise<ContentView[]> {
  const q = db('content').where({ team_id: teamId });
  if (opts.status) q.andWhere({ status: opts.status });
  const rows = await q
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(opts.limit)
    .select<ContentDbRow[]>('*');
  return rows.map(toView);
}

export async function markContentFailed(db: Db, contentId: string, reason: string): Promise<void> {
  await db('content')
    .where({ id: contentId })
    .update({ status: 'failed', failure: reason, updated_at: db.fn.now() });
}

/** The campaign (of this team) a new item is for, with the product title used in its title. */
export async function findCampaignForContent(
  db: Db,
  teamId: string,
  campaignId: string,
): Promise<{ id: string; name: string; productTitle: string | null } | undefined> {
  const campaign = await Campaign.query(db)
    .findOne({ id: campaignId, team_id: teamId })
    .withGraphFetched('product(titleOnly)')
    .modifiers({
      titleOnly: (q: QueryBuilder<Model>) => {
        void q.select('products.id', 'products.title');
      },
    });
  return campaign && { id: campaign.id, name: campaign.name, productTitle: campaign.product?.title ?? null };
}

/** What a pipeline step reads: the item with its campaign's name and HopLink and the product it promotes. */
export interface PipelineContentRow {
  id: string;
  team_id: string;
  type: ContentType;
  title: string;
  tone: string;
  keywords: string[];
  length: ContentLength;
  brief: { text?: string } | null;
  outline: string | null;
  body: string | null;
  revision: number;
  wordpress_post_id: string | null;
  campaign_name: string | null;
  hoplink: string | null;
  /** The slug of the campaign's primary tracking link (what calls to action point at). */
  tracking_slug: string | null;
  product_title: string | null;
  product_description: string | null;
  category_path: string[] | null;
}

/** Team-scoped: another team's id is not found. */
export function findContentForPipeline(
  db: Db,
  teamId: string,
  contentId: string,
): Promise<PipelineContentRow | undefined> {
  return db('content as c')
    .leftJoin('campaigns as k', 'k.id', 'c.campaign_id')
    .leftJoin('products as p', 'p.id', 'k.product_id')
    .where({ 'c.id': contentId, 'c.team_id': teamId })
    .first<PipelineContentRow | undefined>(
      'c.id',
      'c.team_id',
      'c.type',
      'c.title',
      'c.tone',
      'c.keywords',
      'c.length',
      'c.brief',
      'c.outline',
      'c.body',
      'c.revision',
      'c.wordpress_post_id',
      'k.name as campaign_name',
      'k.hoplink',
      db.raw(
        '(SELECT l.slug FROM tracking_links l WHERE l.campaign_id = k.id AND l.is_primary) AS tracking_slug',
      ),
      'p.title as product_title',
      'p.description as product_description',
      'p.category_path',
    );
}

/** Marks the item generating `step` under a new revision (a retry restarts the streamed text cleanly). */
export async function startContentStep(
  db: Db,
  teamId: string,
  contentId: string,
  step: string,
  revision: number,
): Promise<void> {
  await db('content')
    .where({ id: contentId, team_id: teamId })
    .update({ status: 'generating', step, revision, failure: null, updated_at: db.fn.now() });
}

export interface ContentStepOutput {
  teamId: string;
  contentId: string;
  /** The column the step writes: brief (JSON), outline or body. */
  column: 'brief' | 'outline' | 'body';
  value: string;
  workflowId: string | null;
  step: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** The step's text is a finished draft the reviewer will see: keep it in the revision history too. */
  draftRevision?: boolean;
}

/**
 * Stores a step's result and its token usage in one transaction: the text in its column, the tokens added to
 * the item's counters and one token_usage row, so the counters always match the usage rows.
 */
export async function recordContentStepOutput(db: Knex, o: ContentStepOutput): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('content')
      .where({ id: o.contentId, team_id: o.teamId })
      .update({
        [o.column]: o.value,
        input_tokens: trx.raw('input_tokens + ?', [o.inputTokens]),
        output_tokens: trx.raw('output_tokens + ?', [o.outputTokens]),
        updated_at: trx.fn.now(),
      });
    await trx('token_usage').insert({
      team_id: o.teamId,
      content_id: o.contentId,
      workflow_id: o.workflowId,
      step: o.step,
      model: o.model,
      input_tokens: o.inputTokens,
      output_tokens: o.outputTokens,
    });
    if (o.draftRevision) {
      await insertContentRevision(trx, {
        teamId: o.teamId,
        contentId: o.contentId,
        kind: 'draft',
        body: o.value,
      });
    }
  });
}

export interface ContentStatusChange {
  status: ContentStatus;
  step: string | null;
  /** Left as stored when undefined (also for the two below). */
  publishAt?: string | null;
  reviewNotes?: string | null;
  failure?: string | null;
}

/** Team-scoped; false when no such item. */
export async function updateContentStatus(
  db: Db,
  teamId: string,
  contentId: string,
  change: ContentStatusChange,
): Promise<boolean> {
  const fields: Record<string, unknown> = {
    status: change.status,
    step: change.step,
    updated_at: db.fn.now(),
  };
  if (change.publishAt !== undefined) fields.publish_at = change.publishAt;
  if (change.reviewNotes !== undefined) fields.review_notes = change.reviewNotes;
  if (change.failure !== undefined) fields.failure = change.failure;
  const updated = await db('content').where({ id: contentId, team_id: teamId }).update(fields);
  return updated > 0;
}

/**
 * After WordPress took the post: its id, the text it got, and for a published one (not a draft) its URL and
 * the time.
 */
export async function recordContentPublished(
  db: Db,
  teamId: string,
  contentId: string,
  post: { mode: 'publish' | 'draft'; postId: number; url: string; body: string },
): Promise<void> {
  await db('content')
    .where({ id: contentId, team_id: teamId })
    .update({
      status: post.mode === 'publish' ? 'published' : 'draft',
      step: 'publish',
      body: post.body,
      wordpress_post_id: post.postId,
      published_url: post.mode === 'publish' ? post.url : null,
      published_at: post.mode === 'publish' ? db.fn.now() : null,
      updated_at: db.fn.now(),
    });
}

/** An approved social post: ready to copy and post by hand (it never goes to WordPress). */
export async function recordContentApproved(
  db: Db,
  teamId: string,
  contentId: string,
  body: string,
): Promise<void> {
  await db('content')
    .where({ id: contentId, team_id: teamId })
    .update({ status: 'approved', step: 'publish', body, updated_at: db.fn.now() });
}
