import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { ApiError, createApi } from '$lib/server/api';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  clearSessionCookies,
  needsRefresh,
  refreshSession,
  setSessionCookies,
} from '$lib/server/session';
import { chooseTeam } from '$lib/server/current-team';
import { readTheme } from '$lib/server/theme';
import { readTimeZone } from '$lib/server/time-zone';
import type { MeResponse } from '$api/auth';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Establishes the session once per request, before any load runs: rotate the token pair if the access
 * token is missing or about to expire (exactly once, so parallel loads never reuse a refresh token),
 * then load the user. Loads and actions only read locals.
 */
async function establishSession(event: RequestEvent): Promise<void> {
  const { cookies, url, locals } = event;
  let accessToken = cookies.get(ACCESS_COOKIE);
  const refreshToken = cookies.get(REFRESH_COOKIE);
  let refreshed = false;

  const rotate = async (token: string): Promise<boolean> => {
    refreshed = true;
    try {
      const rotated = await refreshSession(token, locals.requestId);
      setSessionCookies(cookies, url, rotated);
      accessToken = rotated.accessToken;
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        clearSessionCookies(cookies, url);
      } else {
        // API down or similar: keep the cookies and carry on logged out for this request only.
        console.error(`[${locals.requestId}] session refresh failed:`, err);
      }
      return false;
    }
  };

  if (refreshToken && needsRefresh(accessToken) && !(await rotate(refreshToken))) return;
  if (!accessToken) return;

  for (;;) {
    try {
      const me = await createApi({ accessToken, requestId: locals.requestId }).get<MeResponse>('/me');
      locals.user = me.user;
      locals.teams = me.teams;
      locals.accessToken = accessToken;
      return;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) {
        console.error(`[${locals.requestId}] loading the session user failed:`, err);
        return;
      }
      // A rejected but unexpired token (e.g. signing key rotated): one rotation, then give up.
      if (refreshToken && !refreshed && (await rotate(refreshToken))) continue;
      cookies.delete(ACCESS_COOKIE, { path: '/' });
      return;
    }
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  const incoming = event.request.headers.get('x-request-id');
  event.locals.requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  event.locals.user = null;
  event.locals.teams = [];
  event.locals.currentTeam = null;
  event.locals.accessToken = null;
  event.locals.theme = readTheme(event.cookies);
  event.locals.timeZone = readTimeZone(event.cookies);

  // Static assets and Kit's own files never need a session.
  if (!event.url.pathname.startsWith('/_app/')) {
    await establishSession(event);
    if (event.locals.user)
      event.locals.currentTeam = chooseTeam(event.cookies, event.url, event.locals.teams);
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%hf.theme%', event.locals.theme),
  });
  response.headers.set('x-request-id', event.locals.requestId);
  return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
  const requestId = event.locals.requestId;
  if (status >= 500) console.error(`[${requestId}] ${event.request.method} ${event.url.pathname}:`, error);
  return { message: status >= 500 ? 'Something went wrong on our side.' : message, requestId };
};
