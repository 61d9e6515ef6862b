import { error, redirect } from '@sveltejs/kit';
import type { User } from '$api/auth';
import { ApiError } from './api';

/** Only same-site paths may be used as a post-login destination (no open redirects). */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** Protected loads and actions call this; logged-out visitors go to /login and come back afterwards. */
export function requireUser(event: { locals: App.Locals; url: URL }): User {
  const user = event.locals.user;
  if (!user) {
    const next = event.url.pathname + event.url.search;
    redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  }
  return user;
}

/** Turns an API failure inside a load into the matching Kit error page (404 stays 404, and so on). */
export function loadError(err: unknown): never {
  if (err instanceof ApiError) {
    error(err.status >= 400 && err.status < 600 ? err.status : 500, {
      message: err.message,
      code: err.code,
      requestId: err.requestId ?? undefined,
    });
  }
  throw err;
}
