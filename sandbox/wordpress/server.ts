import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { SANDBOX_CREDENTIALS, isRefusedSandboxCredential } from '../../lib/integrations/sandbox-credentials';
import {
  effectiveStatus,
  parsePostInput,
  slugify,
  toRestPost,
  type PostInput,
  type StoredPost,
  type WpError,
} from './posts';
import { listen, type SandboxServer } from '../listen';
export type { SandboxServer };

export interface WordpressSandboxOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
}

type Role = 'administrator' | 'editor' | 'author' | 'contributor';

interface SandboxUser {
  id: number;
  username: string;
  /** Application passwords are shown in groups of four; WordPress ignores the spaces when comparing. */
  password: string;
  role: Role;
}

const ROLES: readonly Role[] = ['administrator', 'editor', 'author', 'contributor'];
const normalizePassword = (password: string): string => password.replace(/\s+/g, '');

/** `[sandbox:429]`, `[sandbox:503]` in a post title fail every attempt; `[sandbox:fail-once:503]` the first. */
const FAILURE_MARKER = /\[sandbox:(?:fail-(once|twice):)?(429|500|503)\]/;

/**
 * The WordPress REST API (wp/v2 posts, users/me) on a local port with application-password Basic auth and
 * WordPress's own error bodies ({code, message, data:{status}}).
 */
export async function startWordpressSandbox(opts: WordpressSandboxOptions = {}): Promise<SandboxServer> {
  const users = new Map<string, SandboxUser>();
  const addUser = (username: string, password: string, role: Role): SandboxUser => {
    const user = {
      id: users.get(username)?.id ?? users.size + 1,
      username,
      password: normalizePassword(password),
      role,
    };
    users.set(username, user);
    return user;
  };
  addUser(
    SANDBOX_CREDENTIALS.wordpress.username,
    SANDBOX_CREDENTIALS.wordpress.applicationPassword,
    'administrator',
  );

  const posts = new Map<number, StoredPost>();
  let nextId = 1;
  const failureCounts = new Map<string, number>();
  let siteUrl = '';

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '20mb' }));

  /** undefined: anonymous; a user; or the error WordPress answers for a bad Authorization header. */
  const authenticate = (req: Request): SandboxUser | WpError | undefined => {
    const header = req.header('authorization');
    if (!header) return undefined;
    const match = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const username = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    const user = users.get(username);
    if (!user || isRefusedSandboxCredential(username)) {
      return {
        status: 401,
        code: 'invalid_username',
        message: 'Unknown username. Check again or try your email address.',
      };
    }
    if (isRefusedSandboxCredential(password) || normalizePassword(password) !== user.password) {
      return {
        status: 401,
        code: 'incorrect_password',
        message: 'The provided password is an invalid application password.',
      };
    }
    return user;
  };

  /** Runs the handler with the caller (or anonymous); a bad Authorization header is refused on every route. */
  const withUser =
    (handler: (req: Request, res: Response, user: SandboxUser | undefined) => void) =>
    (req: Request, res: Response) => {
      const user = authenticate(req);
      if (user && 'code' in user) return sendError(res, user);
      handler(req, res, user);
    };

  /** Scheduled posts whose time has come are published, as WordPress's cron would. */
  const publishDue = () => {
    const now = new Date();
    for (const post of posts.values()) {
      if (post.status === 'future' && post.date.getTime() <= now.getTime()) post.status = 'publish';
    }
  };

  const failureOnDemand = (title: string | undefined, res: Response): boolean => {
    const match = title ? FAILURE_MARKER.exec(title) : null;
    if (!match || !title) return false;
    const allowed = match[1] === 'once' ? 1 : match[1] === 'twice' ? 2 : Infinity;
    const seen = failureCounts.get(title) ?? 0;
    if (seen >= allowed) return false;
    failureCounts.set(title, seen + 1);
    const status = Number(match[2]);
    if (status === 429) res.setHeader('retry-after', '1');
    sendError(res, {
      status,
      code: status === 429 ? 'too_many_requests' : 'internal_server_error',
      message:
        status === 429
          ? 'Too many requests. Try again shortly.'
          : 'The site is experiencing technical difficulties.',
    });
    return true;
  };

  const canPublish = (user: SandboxUser) => user.role !== 'contributor';

  const save = (req: Request, res: Response, user: SandboxUser | undefined, existing?: StoredPost) => {
    if (!user) {
      return sendError(res, {
        status: 401,
        code: existing ? 'rest_cannot_edit' : 'rest_cannot_create',
        message: existing
          ? 'Sorry, you are not allowed to edit this post.'
          : 'Sorry, you are not allowed to create posts as this user.',
      });
    }
    const parsed = parsePostInput(req.body);
    if (!parsed.ok) return sendError(res, parsed.error);
    const input: PostInput = parsed.input;
    if (failureOnDemand(input.title ?? existing?.title, res)) return;
    if (!existing && !input.title && !input.content && !input.excerpt) {
      return sendError(res, {
        status: 400,
        code: 'empty_content',
        message: 'Content, title, and excerpt are empty.',
      });
    }
    const wanted = input.status ?? existing?.status ?? 'draft';
    if ((wanted === 'publish' || wanted === 'future' || wanted === 'private') && !canPublish(user)) {
      return sendError(res, {
        status: 403,
        code: 'rest_cannot_publish',
        message: 'Sorry, you are not allowed to publish posts as this user.',
      });
    }
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const date = input.date ?? existing?.date ?? now;
    const title = input.title ?? existing?.title ?? '';
    const post: StoredPost = {
      id: existing?.id ?? nextId++,
      author: existing?.author ?? user.id,
      status: effectiveStatus(wanted, date, now),
      date,
      modified: now,
      slug: input.slug ?? existing?.slug ?? (slugify(title) || String(nextId - 1)),
      title,
      content: input.content ?? existing?.content ?? '',
      excerpt: input.excerpt ?? existing?.excerpt ?? '',
      categories: input.categories ?? existing?.categories ?? [1],
      tags: input.tags ?? existing?.tags ?? [],
    };
    posts.set(post.id, post);
    res.status(existing ? 200 : 201);
    if (!existing) res.setHeader('location', `${siteUrl}/wp-json/wp/v2/posts/${post.id}`);
    res.json(toRestPost(post, siteUrl, 'edit'));
  };

  const findPost = (req: Request, res: Response): StoredPost | undefined => {
    publishDue();
    const post = posts.get(Number(req.params.id));
    if (!post || post.status === 'trash') {
      sendError(res, { status: 404, code: 'rest_post_invalid_id', message: 'Invalid post ID.' });
      return undefined;
    }
    return post;
  };

  const base = '/wp-json/wp/v2';
  app.get('/wp-json', (_req, res) => {
    res.json({
      name: 'Hopflow WordPress sandbox',
      description: 'Just another WordPress site',
      url: siteUrl,
      home: siteUrl,
      gmt_offset: 0,
      timezone_string: 'UTC',
      namespaces: ['wp/v2'],
      authentication: {
        'application-passwords': {
          endpoints: { authorization: `${siteUrl}/wp-admin/authorize-application.php` },
        },
      },
    });
  });

  app.get(
    `${base}/users/me`,
    withUser((req, res, user) => {
      if (!user) {
        return sendError(res, {
          status: 401,
          code: 'rest_not_logged_in',
          message: 'You are not currently logged in.',
        });
      }
      res.json({
        id: user.id,
        name: user.username,
        url: '',
        description: '',
        link: `${siteUrl}/?author=${user.id}`,
        slug: slugify(user.username),
        ...(req.query.context === 'edit' ? { username: user.username, roles: [user.role] } : {}),
        avatar_urls: {},
      });
    }),
  );

  app.get(
    `${base}/posts`,
    withUser((req, res, user) => {
      publishDue();
      const statusParam = typeof req.query.status === 'string' ? req.query.status : 'publish';
      const statuses =
        statusParam === 'any' ? ['publish', 'future', 'draft', 'pending', 'private'] : statusParam.split(',');
      if (!user && statuses.some((s) => s !== 'publish')) {
        return sendError(res, {
          status: 400,
          code: 'rest_invalid_param',
          message: 'Invalid parameter(s): status',
          params: { status: 'Status is forbidden.' },
        });
      }
      const context = user && req.query.context === 'edit' ? 'edit' : 'view';
      const perPage = Math.min(Math.max(Number(req.query.per_page ?? 10) || 10, 1), 100);
      const page = Math.max(Number(req.query.page ?? 1) || 1, 1);
      const matching = [...posts.values()]
        .filter((p) => statuses.includes(p.status))
        .sort((a, b) => b.date.getTime() - a.date.getTime() || b.id - a.id);
      const totalPages = Math.ceil(matching.length / perPage);
      if (page > 1 && page > totalPages) {
        return sendError(res, {
          status: 400,
          code: 'rest_post_invalid_page_number',
          message: 'The page number requested is larger than the number of pages available.',
        });
      }
      res.setHeader('X-WP-Total', String(matching.length));
      res.setHeader('X-WP-TotalPages', String(totalPages));
      res.json(
        matching.slice((page - 1) * perPage, page * perPage).map((p) => toRestPost(p, siteUrl, context)),
      );
    }),
  );

  app.post(
    `${base}/posts`,
    withUser((req, res, user) => save(req, res, user)),
  );

  app.get(
    `${base}/posts/:id`,
    withUser((req, res, user) => {
      const post = findPost(req, res);
      if (!post) return;
      if (!user && post.status !== 'publish') {
        return sendError(res, {
          status: 401,
          code: 'rest_forbidden',
          message: 'Sorry, you are not allowed to do that.',
        });
      }
      res.json(toRestPost(post, siteUrl, user && req.query.context === 'edit' ? 'edit' : 'view'));
    }),
  );

  const update = withUser((req, res, user) => {
    const post = findPost(req, res);
    if (post) save(req, res, user, post);
  });
  app.post(`${base}/posts/:id`, update);
  app.put(`${base}/posts/:id`, update);
  app.patch(`${base}/posts/:id`, update);

  app.delete(
    `${base}/posts/:id`,
    withUser((req, res, user) => {
      const post = findPost(req, res);
      if (!post) return;
      if (!user) {
        return sendError(res, {
          status: 401,
          code: 'rest_cannot_delete',
          message: 'Sorry, you are not allowed to delete this post.',
        });
      }
      if (req.query.force === 'true') {
        posts.delete(post.id);
        res.json({ deleted: true, previous: toRestPost(post, siteUrl, 'edit') });
      } else {
        post.status = 'trash';
        res.json(toRestPost(post, siteUrl, 'edit'));
      }
    }),
  );

  // Inspection and control (not part of WordPress's API).
  app.get('/sandbox/posts', (_req, res) => {
    publishDue();
    res.json([...posts.values()].reverse().map((p) => toRestPost(p, siteUrl, 'edit')));
  });
  app.delete('/sandbox/posts', (_req, res) => {
    posts.clear();
    failureCounts.clear();
    res.status(204).end();
  });
  app.post('/sandbox/users', (req, res) => {
    const body = (req.body ?? {}) as { username?: unknown; applicationPassword?: unknown; role?: unknown };
    const role = body.role ?? 'editor';
    if (
      typeof body.username !== 'string' ||
      !body.username ||
      typeof body.applicationPassword !== 'string' ||
      !body.applicationPassword ||
      !ROLES.includes(role as Role)
    ) {
      res.status(400).json({
        error: `body must be {"username", "applicationPassword", "role"?: ${ROLES.join('|')}}`,
      });
      return;
    }
    const user = addUser(body.username, body.applicationPassword, role as Role);
    res.status(201).json({ id: user.id, username: user.username, role: user.role });
  });

  app.use((_req, res) =>
    sendError(res, {
      status: 404,
      code: 'rest_no_route',
      message: 'No route was found matching the URL and request method.',
    }),
  );
  const onError: ErrorRequestHandler = (err: { type?: string }, _req, res, _next) => {
    if (err.type === 'entity.parse.failed') {
      sendError(res, { status: 400, code: 'rest_invalid_json', message: 'Invalid JSON body passed.' });
    } else {
      sendError(res, {
        status: 500,
        code: 'internal_server_error',
        message: 'There has been a critical error on this website.',
      });
    }
  };
  app.use(onError);

  const server = await listen(app, 'wordpress', opts);
  siteUrl = server.url;
  return server;
}

function sendError(res: Response, error: WpError): void {
  if (res.headersSent) return;
  res.status(error.status).json({
    code: error.code,
    message: error.message,
    data: { status: error.status, ...(error.params ? { params: error.params } : {}) },
  });
}
