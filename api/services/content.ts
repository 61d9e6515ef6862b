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

    async review(m: TeamMembership, contentId: string, review: ReviewInput) {
      const result = await update(m, contentId, (h) =>
        h.executeUpdate<ContentProgress, [ReviewInput]>(REVIEW_UPDATE, { args: [review] }),
      );
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

    async stream(m: TeamMembership, contentId: string, req: Request, res: Response): Promise<void> {
      await load(m, contentId);
      await streamContent({ kv, req, res, loadContent: () => load(m, contentId) });
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
