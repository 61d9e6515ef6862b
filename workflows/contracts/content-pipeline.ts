import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The content pipeline: brief -> outline -> draft -> human review (update) -> publish to WordPress now or at a
 * chosen time. The API starts, queries and updates runs by these names without loading workflow code.
 */
export const CONTENT_PIPELINE_WORKFLOW = 'contentPipelineWorkflow';
export const REVIEW_UPDATE = 'review';
export const RESCHEDULE_UPDATE = 'reschedule';
export const PROGRESS_QUERY = 'progress';

/** Failure type of a refused review or reschedule; the API answers 409 invalid_transition with its message. */
export const INVALID_TRANSITION = 'InvalidTransition';

/** Business key: one pipeline run per content item. */
export const contentWorkflowId = (contentId: string): string => `content:${contentId}`;

export const contentStatuses = [
  'generating',
  'awaiting_review',
  'scheduled',
  'published',
  'rejected',
  'failed',
  'draft',
  // An approved social post: copy-ready, never sent to WordPress.
  'approved',
] as const;
export type ContentStatus = (typeof contentStatuses)[number];

/** One object argument, so fields can be added without breaking running executions. */
export interface ContentPipelineInput {
  contentId: string;
  teamId: string;
}

export interface ReviewInput {
  decision: 'approve' | 'reject' | 'revise';
  notes?: string | null;
  /** ISO time to publish at (approve only); null or absent publishes at once. */
  publishAt?: string | null;
  /** false keeps the approved text as a WordPress draft instead of publishing it. */
  publish?: boolean;
  /**
   * The revision (draft or edit) the reviewer approved; publishing sends its text. The API fills in the newest
   * one; absent in runs started before revisions existed (then the item's current text is published).
   */
  revisionId?: string;
}

export interface RescheduleInput {
  /** A new ISO time, or null to cancel the scheduled publish (the content goes back to awaiting review). */
  publishAt: string | null;
}

export interface ContentProgress {
  status: ContentStatus;
  step: string | null;
  /** Share of the generation steps done (0-100). */
  percent: number;
  tokens: { input: number; output: number };
  publishAt: string | null;
}

export interface ContentPipelineResult {
  status: ContentStatus;
  /** null when nothing went to WordPress (rejected, or an approved social post). */
  postId: number | null;
  url: string | null;
}

export const progressQuery = defineQuery<ContentProgress>(PROGRESS_QUERY);
export const reviewUpdate = defineUpdate<ContentProgress, [ReviewInput]>(REVIEW_UPDATE);
export const rescheduleUpdate = defineUpdate<ContentProgress, [RescheduleInput]>(RESCHEDULE_UPDATE);

/** The workflow's signature, for typed handles without loading workflow code. */
export type ContentPipelineWorkflow = (input: ContentPipelineInput) => Promise<ContentPipelineResult>;
