import { forwardPost } from '$lib/server/forward';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** One piece of a CSV import (text/csv), sent on to the API with the piece's lineOffset and tags. */
export const POST: RequestHandler = (event) => {
  const query = new URLSearchParams();
  for (const name of ['lineOffset', 'tags']) {
    const value = event.url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  return forwardPost(event, `${teamPath(event.params.teamId)}/contacts/import?${query}`, {
    timeoutMs: 60_000,
  });
};
