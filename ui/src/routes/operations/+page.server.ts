import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { pickTeam } from '$lib/server/current-team';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { getMeta } from '$lib/server/meta';
import type { CheckResponse, ChecksResponse } from '$api/platform-checks';
import type { Actions, PageServerLoad } from './$types';

/** For operators: the end-to-end platform check and the way into Temporal Web, for the chosen team. */
export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const { locals, url } = event;
  const team = pickTeam(locals, url.searchParams.get('team'));
  const checkId = url.searchParams.get('check');
  const client = api(event);
  try {
    const [meta, checks, current] = await Promise.all([
      getMeta(locals.requestId),
      team
        ? client.get<ChecksResponse>(`/teams/${team.id}/platform-checks`).then((r) => r.checks)
        : Promise.resolve([]),
      team && checkId
        ? client
            .get<CheckResponse>(`/teams/${team.id}/platform-checks/${encodeURIComponent(checkId)}`)
            .catch((err) => {
              // A stale ?check= link (deleted team, typo) should not break the page.
              if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
              throw err;
            })
        : Promise.resolve(null),
    ]);
    return { team, meta, checks, current };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
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
    redirect(
      303,
      `/operations?team=${encodeURIComponent(teamId)}&check=${encodeURIComponent(started.check.id)}`,
    );
  },
};
