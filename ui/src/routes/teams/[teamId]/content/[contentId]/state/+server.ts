import { proxyGet } from '$lib/server/json-proxy';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** The content item with its progress (step, percent, tokens), polled while the pipeline runs. */
export const GET: RequestHandler = (event) =>
  proxyGet(event, `${teamPath(event.params.teamId)}/content/${encodeURIComponent(event.params.contentId)}`);
