import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  contentWorkflowId,
  INVALID_TRANSITION,
  PROGRESS_QUERY,
  RESCHEDULE_UPDATE,
  REVIEW_UPDATE,
  type ContentPipelineInput,
  type ContentPipelineWorkflow,
  type ContentProgress,
  type RescheduleInput,
  type ReviewInput,
} from '../../workflows/contracts/content-pipeline';
import { startContentPipeline } from '../../temporal/starts';
import { firePlatformEvent } from '../../temporal/automation-events';
import { contentApprovedPayload } from '../../lib/automations/platform-events';
import { contentTitle, contentTypeLabels } from '../../lib/content/prompts';
import { AppError, serviceUnavailable } from '../../lib/errors';
import type { KeyValue } from '../../lib/kv';
import type { Logger } from '../../lib/logger';
import {
  findCampaignForContent,
  findContent,
  insertContent,
  listContent,
  markContentFailed,
  type ContentStatus,
  type ContentView,
} from '../../data/content';
import {
  findContentRevision,
  insertContentRevision,
  latestTextRevision,
  listContentRevisions,
  saveContentEdit,
} from '../../data/content-revisions';
import type { TeamMembership } from '../http/locals';
import type { z } from '../schemas/zod';
import type { createContentBody } from '../schemas/content';
import { streamContent } from '../http/content-stream';

const LIST_LIMIT = 100;
/** Statuses in which the run is still open (and answers the progress query). */
const runningStatuses: ReadonlySet<ContentStatus> = new Set(['generating', 'awaiting_review', 'scheduled']);

const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');
const contentNotFound = () => new AppError(404, 'content_not_found', 'Content not found');
const invalidTransition = (message: string) => new AppError(409, 'invalid_transition', message);
const revisionNotFound = () =>
  new AppError(404, 'revision_not_found', 'That version of the text was not found');

export interface ContentServiceDeps {
  db: Knex;
  logger: Logger;
  kv: KeyValue;
  temporal: { client: Client } | null;
}

type PipelineHandle = WorkflowHandle<ContentPipelineWorkflow>;

export function createContentService(deps: ContentServiceDeps) {
  const { db, logger, kv } = deps;

  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  async function load(m: TeamMembership, contentId: string): Promise<ContentView> {
    const content = await findContent(db, m.teamId, contentId);
    if (!content) throw contentNotFound();
    return content;
  }

  /** Runs an update; a validator refusal (or a run that has ended) is a 409 with the reason. */
  async function update(m: TeamMembership, contentId: string, run: (h: PipelineHandle) => Promise<unknown>) {
    const content = await load(m, contentId);
    const handle = client().workflow.getHandle<ContentPipelineWorkflow>(content.workflowId);
    try {
      await run(handle);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        if (cause instanceof ApplicationFailure && cause.type === INVALID_TRANSITION) {
          throw invalidTransition(cause.message);
        }
        throw invalidTransition(cause?.message ?? err.message);
      }
      if (err instanceof WorkflowNotFoundError) {
        const now = await load(m, contentId);
        throw invalidTransition(`The content is ${now.status.replace('_', ' ')}; its pipeline has ended`);
      }
      throw err;
    }
    return { content: await load(m, contentId) };
  }

  return {
    /** Inserts the row (status generating) and starts its pipeline run `content:<id>`. */
    async create(m: TeamMembership, userId: string, body: z.output<typeof createContentBody>) {
      const temporal = client();
      const campaign = await findCampaignForContent(db, m.teamId, body.campaignId);
      if (!campaign) throw new AppError(404, 'campaign_not_found', 'Campaign not found');
      const id = randomUUID();
      const content = await insertContent(db, {
        id,
        teamId: m.teamId,
        campaignId: campaign.id,
        type: body.type,
        title: contentTitle(body.type, campaign.productTitle ?? campaign.name),
        tone: body.tone,
        keywords: body.keywords,
        length: body.length,
        createdBy: userId,
      });
      const input: ContentPipelineInput = { contentId: id, teamId: m.teamId };
      try {
        await startContentPipeline(temporal, {
          input,
          campaignId: campaign.id,
          userId,
          summary: `${contentTypeLabels[body.type]} for ${campaign.name}`,
        });
      } catch (err) {
        logger.warn({ err, workflowId: content.workflowId }, 'could not start the content pipeline');
        await markContentFailed(db, id, 'The pipeline could not be started');
        throw temporalUnavailable();
      }
      return { content, workflowId: contentWorkflowId(id) };
    },

    list: async (m: TeamMembership, status?: ContentStatus) => ({
      content: await listContent(db, m.teamId, { status, limit: LIST_LIMIT }),
    }),

    /** The row, plus the run's live progress while it is open (omitted when Temporal cannot answer). */
    async get(m: TeamMembership, contentId: string) {
      const content = await load(m, contentId);
      if (!runningStatuses.has(content.status) || !deps.temporal) return { content };
      try {
        const progress = await deps.temporal.client.workflow
          .getHandle(content.workflowId)
          .query<ContentProgress>(PROGRESS_QUERY);
        return { content, progress };
      } catch (err) {
        logger.debug({ err, workflowId: content.workflowId }, 'progress query failed');
        return { content };
      }
    },

    /**
     * A review decision. An approval names the revision it approves (the newest draft or edit unless the caller
     * says which), so the run publishes exactly the text the reviewer saw; a revise note joins the history.
     */
    async review(m: TeamMembership, userId: string, contentId: string, body: ReviewInput) {
      let review = body;
      if (body.decision === 'approve') {
        const content = await load(m, contentId);
        if (content.type === 'social_post' && (body.publishAt || body.publish === false)) {
          throw invalidTransition(
            'A social post is not published to WordPress, so it cannot be scheduled or saved as a WordPress draft: approve it, then copy the text',
          );
        }
        const revision = body.revisionId
          ? await findContentRevision(db, m.teamId, contentId, body.revisionId)
          : await latestTextRevision(db, m.teamId, contentId);
        if (body.revisionId && !revision?.body) throw revisionNotFound();
        review = { ...body, ...(revision ? { revisionId: revision.id } : {}) };
      }
      const result = await update(m, contentId, (h) =>
        h.executeUpdate<ContentProgress, [ReviewInput]>(REVIEW_UPDATE, { args: [review] }),
      );
      if (review.decision === 'revise') {
        await insertContentRevision(db, {
          teamId: m.teamId,
          contentId,
          kind: 'revise',
          note: review.notes ?? '',
          createdBy: userId,
        });
      }
      if (review.decision === 'approve') {
        // The update's validator accepted it, so this is one approval; a later one (after a cancelled schedule)
        // is another event. Not awaited: the answer never waits for the automations.
        const payload = contentApprovedPayload(result.content, {
          publish: review.publish !== false,
          publishAt: review.publishAt ?? null,
          notes: review.notes ?? null,
        });
        void firePlatformEvent(
          deps.temporal?.client,
          { teamId: m.teamId, type: 'content.approved', id: `${contentId}:${randomUUID()}`, payload },
          (message, details) => logger.warn(details, message),
        );
      }
      return result;
    },

    schedule: (m: TeamMembership, contentId: string, input: RescheduleInput) =>
      update(m, contentId, (h) =>
        h.executeUpdate<ContentProgress, [RescheduleInput]>(RESCHEDULE_UPDATE, { args: [input] }),
      ),

    revisions: async (m: TeamMembership, contentId: string) => {
      await load(m, contentId);
      return { revisions: await listContentRevisions(db, m.teamId, contentId) };
    },

    /** The reviewer's edit: the item's new text and a revision; only while the item awaits review. */
    async saveEdit(m: TeamMembership, userId: string, contentId: string, body: string) {
      const content = await load(m, contentId);
      const id = await saveContentEdit(db, { teamId: m.teamId, contentId, body, userId });
      if (!id) {
        throw invalidTransition(
          content.status === 'awaiting_review'
            ? 'The text can be edited once Claude has finished writing'
            : 'The text can be edited only while it awaits review',
        );
      }
      const revision = await findContentRevision(db, m.teamId, contentId, id);
      if (!revision) throw revisionNotFound();
      return { revision, content: await load(m, contentId) };
    },

    async stream(m: TeamMembership, contentId: string, req: Request, res: Response): Promise<void> {
      await load(m, contentId);
      await streamContent({ kv, req, res, loadContent: () => load(m, contentId) });
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
