/** The content pipeline's vocabulary for the UI: labels, display order, steps (the API's shapes: $api/content). */
import type { ContentLength, ContentStatus, ContentType } from '$api/content';
import { everyOption, everyValue } from './every-value';

export const contentTypes = everyOption<ContentType>()([
  { value: 'review_article', label: 'Product review article' },
  { value: 'email', label: 'Email' },
  { value: 'social_post', label: 'Social post' },
  { value: 'landing_page', label: 'Landing-page copy' },
]);

export const contentLengths = everyValue<ContentLength>()(['short', 'medium', 'long']);

/** In the order the status filter lists them. */
export const contentStatuses = everyValue<ContentStatus>()([
  'generating',
  'awaiting_review',
  'scheduled',
  'published',
  'approved',
  'draft',
  'rejected',
  'failed',
]);

const statusWords: Record<ContentStatus, string> = {
  generating: 'Writing',
  awaiting_review: 'Ready for review',
  scheduled: 'Scheduled',
  published: 'Published',
  approved: 'Ready to copy',
  draft: 'WordPress draft',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** The pipeline's steps in order, for the step indicator. */
export const pipelineSteps = ['brief', 'outline', 'draft', 'polish', 'review', 'publish'] as const;

/** The furthest pipeline step among those reported (the poll, the stream and the stored row can lag). */
export function furthestStep(reported: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const step of reported) {
    if (!step) continue;
    const i = pipelineSteps.indexOf(step as (typeof pipelineSteps)[number]);
    if (best === null || i > pipelineSteps.indexOf(best as (typeof pipelineSteps)[number])) best = step;
  }
  return best;
}

export function isContentType(value: string): value is ContentType {
  return contentTypes.some((t) => t.value === value);
}

export function isContentLength(value: string): value is ContentLength {
  return (contentLengths as readonly string[]).includes(value);
}

export function contentTypeLabel(type: string): string {
  return contentTypes.find((t) => t.value === type)?.label ?? type;
}

export function statusLabel(status: string): string {
  return statusWords[status as ContentStatus] ?? status.replace(/_/g, ' ');
}

/** Badge colour class per status (app.css has completed / pending / failed). */
export function statusTone(status: string): string {
  const s = status.toLowerCase();
  if (['published', 'approved', 'completed', 'active'].includes(s)) return 'completed';
  if (
    [
      'generating',
      'awaiting_review',
      'scheduled',
      'running',
      'started',
      'retrying',
      'draft',
      'paused',
    ].includes(s)
  )
    return 'pending';
  if (['failed', 'rejected', 'terminated', 'timed_out', 'canceled', 'cancelled'].includes(s)) return 'failed';
  return '';
}
