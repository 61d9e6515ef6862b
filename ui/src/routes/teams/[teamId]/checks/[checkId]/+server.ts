import { json } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import type { CheckResponse } from '$api/platform-checks';
import type { RequestHandler } from './$types';

/** Lets the dashboard poll a check's status without the browser ever calling the API itself. */
export const GET: RequestHandler = async (event) => {
  const headers = { 'cache-control': 'no-store' };
  if (!event.locals.user) {
    return json({ error: { code: 'unauthorized', message: 'Log in again' } }, { status: 401, headers });
  }
  const { teamId, checkId } = event.params;
  try {
    const body = await api(event).get<CheckResponse>(
      `/teams/${encodeURIComponent(teamId)}/platform-checks/${encodeURIComponent(checkId)}`,
    );
    return json(body, { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return json({ error: { code: err.code, message: err.message } }, { status: err.status, headers });
  }
};
