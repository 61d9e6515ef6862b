import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { Campaign, CampaignResponse, CampaignsResponse } from '$api/campaigns';
import { isCampaignStatus } from '$lib/campaigns';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const wanted = event.url.searchParams.get('status');
  const status = isCampaignStatus(wanted) ? wanted : null;
  try {
    const { campaigns } = await api(event).get<CampaignsResponse>(
      `${teamPath(team.id)}/campaigns${status ? `?status=${status}` : ''}`,
    );
    return { team, campaigns, status };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  create: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const name = field(data, 'name');
    const vendor = field(data, 'vendor');
    let campaign: Campaign;
    try {
      ({ campaign } = await api(event).post<CampaignResponse>(`${teamPath(team.id)}/campaigns`, {
        name,
        vendor,
      }));
    } catch (err) {
      return actionFailure(err, { name, vendor }, 'Your role in this team cannot create campaigns.', [
        'name',
        'vendor',
      ]);
    }
    redirect(303, `/teams/${team.id}/campaigns/${campaign.id}`);
  },
};
