import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { loadDashboardInsight } from '$lib/server/insights';
import { getMeta } from '$lib/server/meta';
import type { RunInsightsResponse } from '$api/insights';
import type { CheckResponse, ChecksResponse } from '$api/platform-checks';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const { locals, url } = event;
  const teams = locals.teams;
  const wanted = url.searchParams.get('team');
  const team = teams.find((t) => t.id === wanted) ?? teams.find((t) => t.personal) ?? teams[0] ?? null;
  const checkId = url.searchParams.get('check');
  const client = api(event);

  try {
    const [meta, checks, current, insight] = await Promise.all([
      getMeta(locals.requestId),
      team
        ? client.get<ChecksResponse>(`/teams/${team.id}/platform-checks`).then((r) => r.checks)
        : Promise.resolve([]),
      team && checkId
        ? client
            .get<CheckResponse>(`/teams/${team.id}/platform-checks/${encodeURIComponent(checkId)}`)
            .catch((err) => {
              // A stale ?check= link (deleted team, typo) should not break the whole dashboard.
              if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
              throw err;
            })
        : Promise.resolve(null),
      team ? loadDashboardInsight(client, team.id) : Promise.resolve(null),
    ]);
    return { user, teams, team, meta, checks, current, insight };
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
  runCheck: async (event) => {
    requireUser(event);
    const teamId = field(await event.request.formData(), 'teamId');
    if (!teamId) return fail(400, { checkError: 'Choose a team first.' });
    let started: CheckResponse;
    try {
      started = await api(event).post<CheckResponse>(`/teams/${encodeURIComponent(teamId)}/platform-checks`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const message =
        err.status === 403
          ? 'Your role in this team cannot run checks (editor or higher needed).'
          : err.message;
      return fail(err.status >= 500 ? 502 : err.status, { checkError: message });
    }
    // Post/redirect/get: the URL names the check, so a reload (or no JavaScript) still shows it.
    redirect(303, `/?team=${encodeURIComponent(teamId)}&check=${encodeURIComponent(started.check.id)}`);
  },
};
