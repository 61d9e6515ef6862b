import { ApiError, api } from '$lib/server/api';
import { teamPath } from '$lib/server/current-team';
import type { AutomationRunDetail } from '$api/automation-runs';
import type { RequestHandler } from './$types';

const POLL_MS = 1000;
/** A stream ends after this long; EventSource opens a new one (with a fresh session) by itself. */
const MAX_STREAM_MS = 5 * 60_000;
const KEEPALIVE_MS = 15_000;

const ended = (run: AutomationRunDetail) =>
  run.endedAt !== null && (!run.state || Boolean(run.state.endedAt));

/**
 * The run, live, for the browser's EventSource: this server reads the run from the API about every second and
 * sends a `run` event only when it changed, then `done` once the run has ended (the browser stops listening).
 */
export const GET: RequestHandler = async (event) => {
  if (!event.locals.user) return new Response('Log in again', { status: 401 });
  const path = `${teamPath(event.params.teamId)}/automation-runs/${encodeURIComponent(event.params.workflowId)}`;
  const client = api(event);
  let first: AutomationRunDetail;
  try {
    first = (await client.get<{ run: AutomationRunDetail }>(path)).run;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // A non-200 answer makes EventSource stop for good instead of retrying a hopeless request.
    return new Response(err.message, { status: err.status });
  }

  const encoder = new TextEncoder();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const opened = Date.now();
      let lastSent = '';
      let lastWrite = Date.now();
      const send = (name: string, data: unknown) => {
        controller.enqueue(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
        lastWrite = Date.now();
      };
      const finish = () => {
        if (stopped) return;
        stopped = true;
        controller.close();
      };
      const tick = async (run: AutomationRunDetail | null) => {
        if (stopped) return;
        try {
          const current = run ?? (await client.get<{ run: AutomationRunDetail }>(path)).run;
          if (stopped) return;
          const text = JSON.stringify(current);
          if (text !== lastSent) {
            lastSent = text;
            send('run', current);
          } else if (Date.now() - lastWrite > KEEPALIVE_MS) {
            controller.enqueue(encoder.encode(': still here\n\n'));
            lastWrite = Date.now();
          }
          if (ended(current)) {
            send('done', { status: current.status });
            finish();
            return;
          }
        } catch {
          // The API answered with an error (a session that ended) or not at all: close; the browser reconnects
          // (with a refreshed session) or falls back to polling.
          finish();
          return;
        }
        if (Date.now() - opened > MAX_STREAM_MS) {
          finish();
          return;
        }
        timer = setTimeout(() => void tick(null), POLL_MS);
      };
      void tick(first);
    },
    cancel() {
      stopped = true;
      clearTimeout(timer);
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
