import { error } from '@sveltejs/kit';
import { apiBaseUrl } from '$lib/server/api';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

const FILES = new Set(['series.csv', 'breakdown.csv']);

/**
 * The figures as a spreadsheet file: the API's CSV for the same query, passed through with its file name (the
 * browser holds no API token, so the download goes through here).
 */
export const GET: RequestHandler = async (event) => {
  const team = requireTeam(event);
  if (!FILES.has(event.params.file)) error(404, { message: 'No such download.' });
  const res = await fetch(
    `${apiBaseUrl()}/api/v1${teamPath(team.id)}/analytics/${event.params.file}${event.url.search}`,
    {
      headers: {
        accept: 'text/csv',
        authorization: `Bearer ${event.locals.accessToken ?? ''}`,
        'x-request-id': event.locals.requestId,
      },
      credentials: 'omit',
      signal: AbortSignal.timeout(30_000),
    },
  ).catch(() => error(503, { message: 'The Hopflow API could not be reached. Try again in a moment.' }));
  if (!res.ok) {
    error(res.status === 400 ? 400 : res.status === 404 ? 404 : 502, {
      message:
        res.status === 400
          ? 'Those dates cannot be downloaded: pick at most 366 days, the first before the last.'
          : 'The download is not available right now.',
    });
  }
  return new Response(res.body, {
    headers: {
      'content-type': res.headers.get('content-type') ?? 'text/csv; charset=utf-8',
      'content-disposition': res.headers.get('content-disposition') ?? 'attachment; filename="analytics.csv"',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
};
