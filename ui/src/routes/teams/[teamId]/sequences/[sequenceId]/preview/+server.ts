import { forwardJson } from '$lib/server/forward';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** The editor's live preview: {subject, body, contactId?} rendered by the API. */
export const POST: RequestHandler = (event) =>
  forwardJson(
    event,
    `${teamPath(event.params.teamId)}/sequences/${encodeURIComponent(event.params.sequenceId)}/preview`,
  );
