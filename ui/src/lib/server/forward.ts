import { json, type RequestEvent } from '@sveltejs/kit';
import { ApiError, RawBody, api } from './api';

const headers = { 'cache-control': 'no-store' };

/** The API's error (code, message, field details) as JSON for browser code to show. */
function errorResponse(err: unknown): Response {
  if (!(err instanceof ApiError)) throw err;
  // Retry-After goes along (a 429 team_busy, a 503): browser code waits that long before sending again.
  const answerHeaders: Record<string, string> = { ...headers };
  if (err.retryAfter !== null) answerHeaders['retry-after'] = String(err.retryAfter);
  return json(
    { error: { code: err.code, message: err.message, details: err.details } },
    { status: err.status, headers: answerHeaders },
  );
}

/** Passes a browser's JSON POST on to the API (e.g. a live preview), answering with the API's JSON. */
export async function forwardJson(event: RequestEvent, apiPath: string): Promise<Response> {
  if (!event.locals.user) {
    return json({ error: { code: 'unauthorized', message: 'Log in again' } }, { status: 401, headers });
  }
  const body: unknown = await event.request.json().catch(() => ({}));
  try {
    return json(await api(event).post<unknown>(apiPath, body), { headers });
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Passes a browser's non-JSON POST (CSV text, a multipart upload) on to the API and answers with the API's
 * JSON, errors included (code, message and field details), so browser code can show them.
 */
export async function forwardPost(
  event: RequestEvent,
  apiPath: string,
  opts: { timeoutMs?: number } = {},
): Promise<Response> {
  if (!event.locals.user) {
    return json({ error: { code: 'unauthorized', message: 'Log in again' } }, { status: 401, headers });
  }
  const contentType = event.request.headers.get('content-type') ?? 'application/octet-stream';
  const body = event.request.body;
  if (!body) {
    return json(
      { error: { code: 'validation_failed', message: 'The request has no body' } },
      { status: 400, headers },
    );
  }
  try {
    const answer = await api(event).send<unknown>(apiPath, new RawBody(body, contentType, opts.timeoutMs));
    return json(answer, { headers });
  } catch (err) {
    return errorResponse(err);
  }
}
