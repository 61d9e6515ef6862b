import { IntegrationError, fromHttpStatus, fromNetworkError } from './errors';

/** Plain settings (sandbox or a team's own site): the resolver's WordpressSettings plus a timeout. */
export interface WordpressClientSettings {
  /** The site's address, e.g. https://blog.example.com (the REST API is under /wp-json). */
  siteUrl: string;
  username: string;
  /** An application password (Users → Profile → Application Passwords), spaces allowed. */
  applicationPassword: string;
  timeoutMs?: number;
}

export interface WordpressPostInput {
  title: string;
  content: string;
  excerpt?: string;
  slug?: string;
  categories?: number[];
  tags?: number[];
}

/** An existing post to change instead of creating a new one. */
export interface ExistingPost {
  id: number;
}

export interface WordpressPost {
  id: number;
  status: string;
  link: string;
  /** UTC, as WordPress returns it (no zone): 2025-01-31T09:00:00 */
  dateGmt: string;
  slug: string;
  title: string;
}

interface RestPost {
  id: number;
  status: string;
  link: string;
  date_gmt: string | null;
  slug: string;
  title: { raw?: string; rendered: string };
}

/** WordPress wants date_gmt without a zone. */
const toWpDateGmt = (date: Date | string): string => new Date(date).toISOString().slice(0, 19);

const isExisting = (target: WordpressPostInput | ExistingPost): target is ExistingPost =>
  'id' in target && typeof target.id === 'number';

/** WordPress posts through the REST API (wp/v2) with application-password Basic auth. */
export function createWordpressClient(settings: WordpressClientSettings) {
  const api = `${settings.siteUrl.replace(/\/+$/, '')}/wp-json/wp/v2`;
  const authorization = `Basic ${Buffer.from(`${settings.username}:${settings.applicationPassword}`).toString('base64')}`;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${api}${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(settings.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw fromNetworkError('wordpress', err);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw fromHttpStatus('wordpress', response.status, text, response.headers, ({ providerCode }) =>
        providerCode === 'rest_cannot_publish'
          ? {
              kind: 'auth',
              retryable: false,
              plainMessage: `The WordPress user "${settings.username}" may not publish posts: give it the Author, Editor or Administrator role.`,
            }
          : undefined,
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      // A 2xx that is not JSON: usually the site's HTML because the URL is not a WordPress REST API.
      throw new IntegrationError({
        provider: 'wordpress',
        kind: 'invalid',
        status: response.status,
        message: `WordPress answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        plainMessage: `${settings.siteUrl} did not answer like a WordPress REST API: check the site address.`,
      });
    }
  }

  const toPost = (post: RestPost): WordpressPost => ({
    id: post.id,
    status: post.status,
    link: post.link,
    dateGmt: post.date_gmt ?? '',
    slug: post.slug,
    title: post.title.raw ?? post.title.rendered,
  });

  const save = async (target: WordpressPostInput | ExistingPost, fields: Record<string, unknown>) => {
    const path = isExisting(target) ? `/posts/${target.id}` : '/posts';
    const body = isExisting(target) ? fields : { ...target, ...fields };
    return toPost(await call<RestPost>('POST', path, body));
  };

  return {
    createDraft: (post: WordpressPostInput) => save(post, { status: 'draft' }),

    /** Publishes now: a new post, or an existing draft by id. */
    publish: (target: WordpressPostInput | ExistingPost) => save(target, { status: 'publish' }),

    /**
     * Schedules for `dateGmt` (WordPress answers status "future"; a date less than a minute ahead publishes
     * at once, as WordPress does).
     */
    schedule: (target: WordpressPostInput | ExistingPost, dateGmt: Date | string) =>
      save(target, { status: 'future', date_gmt: toWpDateGmt(dateGmt) }),

    async getPost(id: number): Promise<WordpressPost> {
      return toPost(await call<RestPost>('GET', `/posts/${id}?context=edit`));
    },

    /** One cheap authenticated call: who the credentials belong to. */
    async testConnection(): Promise<{ ok: true; detail: string }> {
      const me = await call<{ id: number; name: string; roles?: string[] }>('GET', '/users/me?context=edit');
      const roles = me.roles?.length ? ` (${me.roles.join(', ')})` : '';
      return { ok: true, detail: `WordPress accepted the application password for ${me.name}${roles}.` };
    },
  };
}
