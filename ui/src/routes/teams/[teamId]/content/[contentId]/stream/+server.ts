import { ApiError, apiStream } from '$lib/server/api';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/**
 * The draft's live stream for the browser's EventSource: proxies the API's Server-Sent Events with the
 * user's token and passes Last-Event-ID through, so a reconnect resumes where it stopped.
 */
export const GET: RequestHandler = async (event) => {
  if (!event.locals.user) return new Response('Log in again', { status: 401 });
  const upstreamAbort = new AbortController();
  event.request.signal.addEventListener('abort', () => upstreamAbort.abort(), { once: true });
  let upstream: Response;
  try {
    upstream = await apiStream(
      `${teamPath(event.params.teamId)}/content/${encodeURIComponent(event.params.contentId)}/stream`,
      {
        accessToken: event.locals.accessToken,
        requestId: event.locals.requestId,
        signal: upstreamAbort.signal,
        lastEventId: event.request.headers.get('last-event-id'),
      },
    );
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // A non-200 answer makes EventSource stop for good instead of retrying a hopeless request.
    return new Response(err.message, { status: err.status });
  }
  const body = upstream.body;
  if (!body) return new Response(null, { status: 204 });
  const reader = body.getReader();
  // Our own stream so a browser leaving (cancel) also closes the upstream request to the API.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      upstreamAbort.abort();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
};
