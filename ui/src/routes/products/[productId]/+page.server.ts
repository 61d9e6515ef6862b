import { splitApiError } from '$lib/api-words';
import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { pickTeam, teamPath } from '$lib/server/current-team';
import { atLeast } from '$lib/roles';
import type { Campaign, CampaignResponse } from '$api/campaigns';
import type { ProductResponse } from '$api/products';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  try {
    const { product, gravityHistory } = await api(event).get<ProductResponse>(
      `/products/${encodeURIComponent(event.params.productId)}`,
    );
    const teams = event.locals.teams.filter((t) => atLeast(t.role, 'editor'));
    const defaultTeam = pickTeam({ ...event.locals, teams }, event.url.searchParams.get('team'));
    return { product, gravityHistory, teams, defaultTeamId: defaultTeam?.id ?? null };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  createCampaign: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const name = field(data, 'name');
    const teamId = field(data, 'teamId');
    if (!teamId) {
      return fail(400, {
        name,
        message: 'Choose a team for the campaign.',
        fieldErrors: {} as Record<string, string>,
      });
    }
    let campaign: Campaign;
    try {
      ({ campaign } = await api(event).post<CampaignResponse>(`${teamPath(teamId)}/campaigns`, {
        name,
        productId: event.params.productId,
      }));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const split: { fieldErrors: Record<string, string>; message: string | null } =
        err.status === 403
          ? { fieldErrors: {}, message: 'Your role in that team cannot create campaigns.' }
          : splitApiError(err.message, err.details, ['name'], err.status);
      return fail(err.status >= 500 ? 502 : err.status, { name, ...split });
    }
    redirect(303, `/teams/${teamId}/campaigns/${campaign.id}`);
  },
};
