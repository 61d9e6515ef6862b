import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignsResponse } from '$api/campaigns';
import type { SequenceResponse, SequencesResponse, SequenceWithSteps } from '$api/sequences';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ sequences }, { campaigns }] = await Promise.all([
      client.get<SequencesResponse>(`${teamPath(team.id)}/sequences`),
      client.get<CampaignsResponse>(`${teamPath(team.id)}/campaigns`),
    ]);
    return { team, sequences, campaigns };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  create: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const values = {
      name: field(data, 'name'),
      campaignId: field(data, 'campaignId'),
      trigger: field(data, 'trigger') === 'sale' ? 'sale' : 'manual',
    };
    let created: SequenceWithSteps;
    try {
      ({ sequence: created } = await api(event).post<SequenceResponse>(
        `${teamPath(team.id)}/sequences`,
        values,
      ));
    } catch (err) {
      return actionFailure(err, { values }, 'Your role in this team cannot create sequences.', [
        'name',
        'campaignId',
        'trigger',
      ]);
    }
    redirect(303, `/teams/${team.id}/sequences/${created.id}`);
  },
};
