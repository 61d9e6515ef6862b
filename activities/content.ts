import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { contentPublishedPayload } from '../lib/automations/platform-events';
import { firePlatformEvent } from '../temporal/automation-events';
import { buildStepPrompt, type PipelineStep, type PromptInput } from '../lib/content/prompts';
import { ensureEarningText } from '../lib/content/call-to-action';
import { campaignLink } from '../lib/content/campaign-link';
import { wordpressPost } from '../lib/content/markdown-html';
import { publishContentStatus, startStreamRevision } from '../lib/content/stream-bus';
import type { Config } from '../lib/config';
import type { KeyValue } from '../lib/kv';
import { createIntegrationResolver } from '../lib/integrations/resolve';
import { createAnthropicClient } from '../lib/integrations/adapters/anthropic';
import { toActivityFailure } from '../lib/integrations/adapters/errors';
import { createWordpressClient } from '../lib/integrations/adapters/wordpress';
import { findContentRevision } from '../data/content-revisions';
import {
  findContent,
  findContentForPipeline,
  recordContentApproved,
  recordContentPublished,
  recordContentStepOutput,
  startContentStep,
  updateContentStatus,
  type ContentStatus,
  type PipelineContentRow,
} from '../data/content';
import { teamIntegrationStore } from '../data/integrations';

export interface ContentActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'links'>;
  /** Without it (tests of other concerns) streamed steps still run, they just publish nothing live. */
  kv?: KeyValue;
  /** The worker's client: publishing raises `content.published` for automations. */
  temporal?: Client;
}

export interface ContentStepInput {
  contentId: string;
  teamId: string;
  /** Reviewer notes for a revision (draft and polish). */
  notes?: string | null;
}

export interface ContentStepResult {
  step: PipelineStep;
  inputTokens: number;
  outputTokens: number;
  characters: number;
}

export type { ContentStatus };

export interface SetContentStatusInput {
  contentId: string;
  teamId: string;
  status: ContentStatus;
  step: string | null;
  publishAt?: string | null;
  reviewNotes?: string | null;
  failure?: string | null;
}

export interface PublishContentInput {
  contentId: string;
  teamId: string;
  /** publish: live now; draft: kept as a WordPress draft. */
  mode: 'publish' | 'draft';
  /** The approved revision; absent (older runs): the item's current text. */
  revisionId?: string;
}

export interface PublishContentResult {
  /** null for a social post: it is copy-ready (approved) and never sent to WordPress. */
  postId: number | null;
  url: string | null;
  status: 'published' | 'draft' | 'approved';
}

const ContentFailure = {
  notFound: 'ContentNotFound',
  nothingToPublish: 'ContentNothingToPublish',
  revisionNotFound: 'ContentRevisionNotFound',
} as const;

/** The campaign's tracking link, counted under the source `content` (or its HopLink when it has none). */
const contentLink = (row: PipelineContentRow, links: Config['links']) =>
  campaignLink({ hoplink: row.hoplink, trackingSlug: row.tracking_slug }, links, 'content');

/** The campaign's link in a call to action and the affiliate disclosure, added where the text lacks them. */
const earningText = (row: PipelineContentRow, links: Config['links'], text: string) =>
  ensureEarningText(text, {
    type: row.type,
    link: contentLink(row, links),
    productName: row.product_title ?? row.campaign_name ?? row.title,
  });

/** Which column each step writes its result to, and whether its text streams live to the browser. */
const stepOutput: Record<PipelineStep, { column: 'brief' | 'outline' | 'body'; streams: boolean }> = {
  brief: { column: 'brief', streams: false },
  outline: { column: 'outline', streams: false },
  draft: { column: 'body', streams: true },
  polish: { column: 'body', streams: true },
};

export function createContentActivities({ db, config, kv, temporal }: ContentActivityDeps) {
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config });

  async function loadContent(contentId: string, teamId: string): Promise<PipelineContentRow> {
    const row = await findContentForPipeline(db, teamId, contentId);
    if (!row) {
      // Retrying cannot make the row appear.
      throw ApplicationFailure.nonRetryable(
        `content ${contentId} does not exist for team ${teamId}`,
        ContentFailure.notFound,
      );
    }
    return row;
  }

  const promptInput = (row: PipelineContentRow, notes: string | null | undefined): PromptInput => ({
    type: row.type,
    tone: row.tone,
    keywords: row.keywords,
    length: row.length,
    campaign: { name: row.campaign_name ?? row.title, hoplink: contentLink(row, config.links) ?? '' },
    product: row.product_title
      ? {
          title: row.product_title,
          description: row.product_description,
          categoryPath: row.category_path ?? [],
        }
      : null,
    brief: row.brief?.text ?? null,
    outline: row.outline,
    draft: row.body,
    notes: notes ?? null,
  });

  async function announce(contentId: string, status: ContentStatus, step: string | null): Promise<void> {
    if (kv) await publishContentStatus(kv, contentId, status, step);
  }

  /** One Claude call for one step: prompt, stream (live for draft/polish), store the result and the tokens. */
  async function runStep(step: PipelineStep, input: ContentStepInput): Promise<ContentStepResult> {
    const ctx = Context.current();
    const row = await loadContent(input.contentId, input.teamId);
    const { column, streams } = stepOutput[step];
    // A new revision per attempt: a retry after a crash restarts the streamed text cleanly.
    const revision = row.revision + 1;
    await startContentStep(db, row.team_id, row.id, step, revision);
    await announce(row.id, 'generating', step);
    const writer = streams && kv ? await startStreamRevision(kv, row.id, revision, step) : undefined;

    const prompt = buildStepPrompt(step, promptInput(row, input.notes));
    let result;
    let text: string;
    try {
      const claude = createAnthropicClient({
        ...(await resolver.anthropic(input.teamId)),
        // Temporal retries (visible in the run's history, with a fresh revision) instead of the SDK.
        maxRetries: 0,
      });
      let deltas = 0;
      result = await claude.streamText({
        ...prompt,
        signal: ctx.cancellationSignal,
        onText: (text) => {
          deltas++;
          writer?.push(text);
          ctx.heartbeat({ step, deltas });
        },
      });
      // The guarantee: a body never leaves a step without the link and the disclosure. What is appended is
      // streamed too; a disclosure put above the text reaches watchers with the stream's final snapshot.
      if (column === 'body') {
        const earning = earningText(row, config.links, result.text);
        if (earning.text !== result.text && earning.text.startsWith(result.text)) {
          writer?.push(earning.text.slice(result.text.length));
        }
        text = earning.text;
      } else {
        text = result.text;
      }
      await writer?.flush();
    } catch (err) {
      throw toActivityFailure(err);
    }

    const value = column === 'brief' ? JSON.stringify({ text }) : text;
    await recordContentStepOutput(db, {
      teamId: row.team_id,
      contentId: row.id,
      column,
      value,
      workflowId: ctx.info.workflowExecution?.workflowId ?? null,
      step,
      model: result.model,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      // The polished text is the draft the reviewer sees: it starts a round of the revision history.
      draftRevision: step === 'polish',
    });
    return {
      step,
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      characters: text.length,
    };
  }

  return {
    writeBrief: (input: ContentStepInput) => runStep('brief', input),
    writeOutline: (input: ContentStepInput) => runStep('outline', input),
    writeDraft: (input: ContentStepInput) => runStep('draft', input),
    polishDraft: (input: ContentStepInput) => runStep('polish', input),

    /** Records a status change on the row and tells live watchers. */
    async setContentStatus(input: SetContentStatusInput): Promise<void> {
      const updated = await updateContentStatus(db, input.teamId, input.contentId, {
        status: input.status,
        step: input.step,
        publishAt: input.publishAt,
        reviewNotes: input.reviewNotes,
        failure: input.failure,
      });
      if (!updated) {
        throw ApplicationFailure.nonRetryable(
          `content ${input.contentId} not found`,
          ContentFailure.notFound,
        );
      }
      await announce(input.contentId, input.status, input.step);
    },

    /**
     * Sends the approved text (the approved revision, with the link and disclosure guaranteed) to the team's
     * WordPress: a new post, or the post made earlier (a retry after a crash, or a draft being published), so a
     * post is never created twice by a later attempt. A social post goes nowhere: it becomes ready to copy.
     */
    async publishContent(input: PublishContentInput): Promise<PublishContentResult> {
      const row = await loadContent(input.contentId, input.teamId);
      let approved = row.body;
      if (input.revisionId) {
        const revision = await findContentRevision(db, row.team_id, row.id, input.revisionId);
        if (!revision?.body) {
          throw ApplicationFailure.nonRetryable(
            `revision ${input.revisionId} of content ${row.id} has no text`,
            ContentFailure.revisionNotFound,
          );
        }
        approved = revision.body;
      }
      if (!approved) {
        throw ApplicationFailure.nonRetryable(
          'content has no text to publish',
          ContentFailure.nothingToPublish,
        );
      }
      const body = earningText(row, config.links, approved).text;
      if (row.type === 'social_post') {
        await recordContentApproved(db, row.team_id, row.id, body);
        await announce(row.id, 'approved', 'publish');
        return { postId: null, url: null, status: 'approved' };
      }
      const status = input.mode === 'publish' ? 'published' : 'draft';
      let saved: { id: number; link: string };
      try {
        const wordpress = createWordpressClient(await resolver.wordpress(input.teamId));
        const existing = row.wordpress_post_id ? { id: Number(row.wordpress_post_id) } : undefined;
        // The item keeps Markdown; WordPress gets HTML.
        // The text's own "# heading" is the post's title (not shown twice); the item's label otherwise.
        const post = wordpressPost(body, row.title);
        saved =
          input.mode === 'publish'
            ? await wordpress.publish(existing ?? post)
            : await wordpress.createDraft(post);
        await recordContentPublished(db, row.team_id, row.id, {
          mode: input.mode,
          postId: saved.id,
          url: saved.link,
          body,
        });
        await announce(row.id, status, 'publish');
      } catch (err) {
        throw toActivityFailure(err);
      }
      if (input.mode === 'publish') {
        // Here rather than in the workflow, so the pipeline's histories replay unchanged. The content id is the
        // event's key: a retried attempt raises the same event, handled once. Never fails the publish.
        const content = await findContent(db, input.teamId, input.contentId).catch(() => undefined);
        if (content) {
          await firePlatformEvent(
            temporal,
            {
              teamId: input.teamId,
              type: 'content.published',
              id: input.contentId,
              payload: contentPublishedPayload(content, { postId: saved.id, url: saved.link }),
            },
            (message, details) => {
              log.warn(message, details);
            },
          );
        }
      }
      return { postId: saved.id, url: saved.link, status };
    },
  };
}

export type ContentActivities = ReturnType<typeof createContentActivities>;
