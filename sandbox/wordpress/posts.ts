/** Posts as WordPress stores and returns them (wp/v2 REST shape), with WordPress's status and date rules. */

export const POST_STATUSES = ['publish', 'future', 'draft', 'pending', 'private'] as const;
export type PostStatus = (typeof POST_STATUSES)[number] | 'trash';

export interface StoredPost {
  id: number;
  author: number;
  status: PostStatus;
  /** UTC, whole seconds. */
  date: Date;
  modified: Date;
  slug: string;
  title: string;
  content: string;
  excerpt: string;
  categories: number[];
  tags: number[];
}

export interface WpError {
  status: number;
  code: string;
  message: string;
  params?: Record<string, string>;
}

/** The fields a create or update may carry, already validated. */
export interface PostInput {
  title?: string;
  content?: string;
  excerpt?: string;
  status?: PostStatus;
  date?: Date;
  slug?: string;
  categories?: number[];
  tags?: number[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** "2024-05-01T12:00:00" (GMT when read from date_gmt), with optional fraction, Z or offset. */
const WP_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

function parseWpDate(value: string): Date | undefined {
  if (!WP_DATE.test(value)) return undefined;
  const text = value.replace(' ', 'T');
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? undefined : new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** The way WordPress formats dates in REST answers: no zone, seconds precision. */
export const formatWpDate = (date: Date): string => date.toISOString().slice(0, 19);

const textField = (value: unknown): string | undefined | null => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.raw === 'string') return value.raw;
  return null;
};

const idList = (value: unknown): number[] | undefined | null => {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    return value as number[];
  }
  return null;
};

/** Validates a create/update body; problems come back as WordPress's rest_invalid_param. */
export function parsePostInput(
  body: unknown,
): { ok: true; input: PostInput } | { ok: false; error: WpError } {
  if (!isRecord(body)) body = {};
  const record = body as Record<string, unknown>;
  const params: Record<string, string> = {};
  const input: PostInput = {};

  for (const field of ['title', 'content', 'excerpt'] as const) {
    const value = textField(record[field]);
    if (value === null) params[field] = `${field} is not of type object,string.`;
    else if (value !== undefined) input[field] = value;
  }
  if (record.status !== undefined) {
    if (typeof record.status === 'string' && (POST_STATUSES as readonly string[]).includes(record.status)) {
      input.status = record.status as PostStatus;
    } else {
      params.status = `status is not one of ${POST_STATUSES.join(', ')}.`;
    }
  }
  for (const field of ['date_gmt', 'date'] as const) {
    const value = record[field];
    if (value === undefined || value === null || input.date) continue;
    const date = typeof value === 'string' ? parseWpDate(value) : undefined;
    if (date) input.date = date;
    else params[field] = 'Invalid date.';
  }
  if (record.slug !== undefined) {
    if (typeof record.slug === 'string') input.slug = slugify(record.slug);
    else params.slug = 'slug is not of type string.';
  }
  for (const field of ['categories', 'tags'] as const) {
    const value = idList(record[field]);
    if (value === null) params[field] = `${field}[0] is not of type integer.`;
    else if (value !== undefined) input[field] = value;
  }
  const names = Object.keys(params);
  if (names.length > 0) {
    return {
      ok: false,
      error: {
        status: 400,
        code: 'rest_invalid_param',
        message: `Invalid parameter(s): ${names.join(', ')}`,
        params,
      },
    };
  }
  return { ok: true, input };
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

/**
 * WordPress's rule (wp_insert_post): a published post dated in the future is scheduled ("future"); a
 * scheduled post whose date has come is published. "Future" here means at least a minute ahead.
 */
export function effectiveStatus(status: PostStatus, date: Date, now: Date): PostStatus {
  const ahead = date.getTime() - now.getTime() >= 60_000;
  if (status === 'publish' && ahead) return 'future';
  if (status === 'future' && !ahead) return 'publish';
  return status;
}

function autop(text: string): string {
  if (/<(p|div|h[1-6]|ul|ol|blockquote|pre|figure|table)[\s>]/i.test(text)) return text;
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, '<br />\n')}</p>\n`)
    .join('\n');
}

function excerptFrom(post: StoredPost): string {
  if (post.excerpt) return autop(post.excerpt);
  const words = post.content
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '';
  return `<p>${words.slice(0, 55).join(' ')}${words.length > 55 ? ' [&hellip;]' : ''}</p>\n`;
}

/** The REST representation; `edit` context adds the raw fields, as for an authenticated editor. */
export function toRestPost(post: StoredPost, siteUrl: string, context: 'view' | 'edit') {
  const link = `${siteUrl}/?p=${post.id}`;
  const edit = context === 'edit';
  return {
    id: post.id,
    date: formatWpDate(post.date),
    date_gmt: formatWpDate(post.date),
    guid: { rendered: link, ...(edit ? { raw: link } : {}) },
    modified: formatWpDate(post.modified),
    modified_gmt: formatWpDate(post.modified),
    slug: post.slug,
    status: post.status,
    type: 'post',
    link,
    title: { rendered: post.title, ...(edit ? { raw: post.title } : {}) },
    content: {
      rendered: autop(post.content),
      protected: false,
      block_version: 0,
      ...(edit ? { raw: post.content } : {}),
    },
    excerpt: { rendered: excerptFrom(post), protected: false, ...(edit ? { raw: post.excerpt } : {}) },
    author: post.author,
    featured_media: 0,
    comment_status: 'open',
    ping_status: 'open',
    sticky: false,
    template: '',
    format: 'standard',
    meta: { footnotes: '' },
    categories: post.categories,
    tags: post.tags,
    _links: {
      self: [{ href: `${siteUrl}/wp-json/wp/v2/posts/${post.id}` }],
      collection: [{ href: `${siteUrl}/wp-json/wp/v2/posts` }],
    },
  };
}
