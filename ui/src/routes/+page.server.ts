import { fail } from '@sveltejs/kit';
import { ApiError, RawBody, api } from '$lib/server/api';
import { hasFigures, todayIn } from '$lib/analytics';
import { loadAnalytics, teamHasRecentFigures } from '$lib/server/analytics';
import { pickTeam, teamPath } from '$lib/server/current-team';
import { loadNextSteps } from '$lib/server/dashboard';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { loadDashboardInsight } from '$lib/server/insights';
import type { DemoDataResponse } from '$api/demo-data';
import type { RunInsightsResponse } from '$api/insights';
import type { TeamResponse } from '$api/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const team = pickTeam(event.locals, event.url.searchParams.get('team'));
  if (!team) {
    return {
      user,
      team: null,
      next: null,
      insight: null,
      teamTimeZone: null,
      analytics: null,
      today: null,
      teamHasFigures: false,
    };
  }
  const client = api(event);
  try {
    const { team: settings } = await client.get<TeamResponse>(teamPath(team.id));
    const [next, insight, analytics] = await Promise.all([
      loadNextSteps(client, team.id),
      loadDashboardInsight(client, team.id),
      loadAnalytics(client, event.url, {
        teamId: team.id,
        timeZone: settings.timeZone,
        breakdowns: ['campaign', 'source', 'product'],
        limit: 5,
      }),
    ]);
    const today = todayIn(settings.timeZone);
    // Only an empty range needs to know whether the team has figures on other days.
    const teamHasFigures =
      analytics !== null &&
      (hasFigures(analytics.series.totals) || (await teamHasRecentFigures(client, team.id, today)));
    return { user, team, next, insight, teamTimeZone: settings.timeZone, analytics, today, teamHasFigures };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  demoData: async (event) => {
    requireUser(event);
    const teamId = field(await event.request.formData(), 'teamId');
    try {
      // A few thousand clicks and some hundred sales: far longer than an ordinary call.
      const made = await api(event).send<DemoDataResponse>(
        `/teams/${encodeURIComponent(teamId)}/demo-data`,
        new RawBody('{}', 'application/json', 180_000),
      );
      return {
        demoMessage: `Demo data loaded: ${made.campaigns} campaigns, ${made.clicks.toLocaleString('en-US')} clicks and ${made.sales.toLocaleString('en-US')} sales over 90 days.`,
      };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const message = err.status === 403 ? 'Only owners and admins can load demo data.' : err.message;
      return fail(err.status >= 500 ? 502 : err.status, { demoMessage: message, demoFailed: true });
    }
  },
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
