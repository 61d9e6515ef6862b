import { fail } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { pickTeam, teamPath } from '$lib/server/current-team';
import { loadNextSteps } from '$lib/server/dashboard';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { loadDashboardInsight } from '$lib/server/insights';
import type { RunInsightsResponse } from '$api/insights';
import type { TeamResponse } from '$api/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const team = pickTeam(event.locals, event.url.searchParams.get('team'));
  if (!team) return { user, team: null, next: null, insight: null, teamTimeZone: null };
  const client = api(event);
  try {
    const [next, insight, { team: settings }] = await Promise.all([
      loadNextSteps(client, team.id),
      loadDashboardInsight(client, team.id),
      client.get<TeamResponse>(teamPath(team.id)),
    ]);
    return { user, team, next, insight, teamTimeZone: settings.timeZone };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  insightsEmail: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const teamId = field(data, 'teamId');
    try {
      await api(event).put(`/teams/${encodeURIComponent(teamId)}/members/me/insights-email`, {
        enabled: field(data, 'enabled') === 'true',
      });
      return { insightMessage: null };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return fail(err.status >= 500 ? 502 : err.status, { insightMessage: err.message });
    }
  },
  runInsight: async (event) => {
    requireUser(event);
    const teamId = field(await event.request.formData(), 'teamId');
    try {
      const run = await api(event).post<RunInsightsResponse>(
        `/teams/${encodeURIComponent(teamId)}/insights/run`,
      );
      return { insightMessage: `Writing the insight for ${run.day}; reload in a moment.` };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const message = err.status === 403 ? 'Only admins can run the insight now.' : err.message;
      return fail(err.status >= 500 ? 502 : err.status, { insightMessage: message });
    }
  },
};
