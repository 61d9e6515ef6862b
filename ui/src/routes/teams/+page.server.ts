import { splitApiError } from '$lib/api-words';
import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import type { Team, TeamResponse, TeamsResponse } from '$api/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const { teams } = await api(event).get<TeamsResponse>('/teams');
    return { teams };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  create: async (event) => {
    requireUser(event);
    const name = field(await event.request.formData(), 'name');
    if (!name) return fail(400, { name, fieldErrors: { name: 'Give the team a name.' }, message: null });
    let team: Team;
    try {
      ({ team } = await api(event).post<TeamResponse>('/teams', { name }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const split = splitApiError(err.message, err.details, ['name'], err.status);
      return fail(err.status >= 500 ? 502 : err.status, { name, ...split });
    }
    redirect(303, `/teams/${team.id}`);
  },
};
