import { forwardPost } from '$lib/server/forward';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** A file bonus: the browser's multipart form streamed on to the API, which stores the file. */
export const POST: RequestHandler = (event) =>
  forwardPost(event, `${teamPath(event.params.teamId)}/bonuses`, { timeoutMs: 10 * 60_000 });
