/** Shapes of the content API and the pipeline's vocabulary. */
export const contentTypes = [
  { value: 'review_article', label: 'Product review article' },
  { value: 'email', label: 'Email' },
  { value: 'social_post', label: 'Social post' },
  { value: 'landing_page', label: 'Landing-page copy' },
] as const;
export type ContentType = (typeof contentTypes)[number]['value'];

export const contentLengths = ['short', 'medium', 'long'] as const;
export type ContentLength = (typeof contentLengths)[number];

export type ContentStatus =
  'generating' | 'awaiting_review' | 'scheduled' | 'published' | 'rejected' | 'failed' | 'draft';

export const contentStatuses: readonly ContentStatus[] = [
  'generating',
  'awaiting_review',
  'scheduled',
  'published',
  'draft',
  'rejected',
  'failed',
];

/** The pipeline's steps in order, for the step indicator. */
export const pipelineSteps = ['brief', 'outline', 'draft', 'polish', 'review', 'publish'] as const;

export interface ContentProgress {
  status?: ContentStatus;
  publishAt?: string | null;
  step: string | null;
  percent: number;
  tokens?: { input: number; output: number };
}

export interface ContentItem {
  id: string;
  teamId: string;
  campaignId: string;
  type: ContentType;
  title: string | null;
  status: ContentStatus;
  step: string | null;
  brief: unknown;
  outline: unknown;
  body: string | null;
  publishAt: string | null;
  publishedUrl: string | null;
  wordpressPostId: number | string | null;
  tokens: { input: number; output: number } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContentResponse {
  content: ContentItem;
  progress?: ContentProgress | null;
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
  return status.replace(/_/g, ' ');
}

/** Badge colour class per status (app.css has completed / pending / failed). */
export function statusTone(status: string): string {
  const s = status.toLowerCase();
  if (['published', 'completed', 'active'].includes(s)) return 'completed';
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

/** Briefs and outlines may be text or structured JSON; show either readably. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? `• ${v}` : JSON.stringify(v))).join('\n');
  return JSON.stringify(value, null, 2);
}
