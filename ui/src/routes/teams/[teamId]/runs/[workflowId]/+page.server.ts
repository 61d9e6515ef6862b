import { fail } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { RunResponse } from '$api/runs';
import type { Actions, PageServerLoad } from './$types';

function runPath(params: { teamId: string; workflowId: string }): string {
  return `${teamPath(params.teamId)}/runs/${encodeURIComponent(params.workflowId)}`;
}

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  try {
    const { run } = await api(event).get<RunResponse>(runPath(event.params));
    return { team, run };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  cancel: async (event) => {
    requireTeam(event);
    try {
      await api(event).post(`${runPath(event.params)}/cancel`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return fail(err.status >= 500 ? 502 : err.status, {
        message: err.status === 403 ? 'Your role in this team cannot cancel runs.' : err.message,
      });
    }
    return { cancelled: true };
  },
};
