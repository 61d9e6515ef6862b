import { error } from '@sveltejs/kit';
import { plainMessage } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

/** A file name from the automation's name: letters, digits and dashes ("Lead drip!" -> "lead-drip"). */
function fileName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 80);
  return `${base || 'automation'}.automation.json`;
}

/** Downloads the automation as JSON (name, description, definition; never secrets), for import elsewhere. */
export const GET: RequestHandler = async (event) => {
  const team = requireTeam(event);
  try {
    const exported = await api(event).get<{ name: string }>(
      `${teamPath(team.id)}/automations/${encodeURIComponent(event.params.automationId)}/export`,
    );
    return new Response(`${JSON.stringify(exported, null, 2)}\n`, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName(exported.name)}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    if (err instanceof ApiError) {
      const message =
        err.code === 'no_definition'
          ? 'Add a step first: there is nothing to export yet.'
          : plainMessage(err.message, err.status);
      error(err.status >= 500 ? 502 : err.status, { message, code: err.code });
    }
    throw err;
  }
};
