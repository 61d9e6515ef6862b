import { json } from '@sveltejs/kit';
import { ApiError } from '$lib/server/api';
import { loadRunPage, runListFilters } from '$lib/server/automation-runs';
import type { RequestHandler } from './$types';

/** The next page of runs for "Load more": the same filters as the page (`automation`, `status`, `q`) and `before`. */
export const GET: RequestHandler = async (event) => {
  const headers = { 'cache-control': 'no-store' };
  if (!event.locals.user) return json({ error: { message: 'Log in again' } }, { status: 401, headers });
  try {
    const page = await loadRunPage(
      event,
      event.params.teamId,
      runListFilters(event.url),
      event.url.searchParams.get('before'),
    );
    return json(page, { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return json({ error: { message: err.message } }, { status: err.status, headers });
  }
};
