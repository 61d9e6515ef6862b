import { proxyGet } from '$lib/server/json-proxy';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** The run with its step timeline, for the page to poll when server-sent events do not get through. */
export const GET: RequestHandler = (event) =>
  proxyGet(
    event,
    `${teamPath(event.params.teamId)}/automation-runs/${encodeURIComponent(event.params.workflowId)}`,
  );
