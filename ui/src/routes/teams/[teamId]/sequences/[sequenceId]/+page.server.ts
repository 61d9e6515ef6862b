import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignsResponse } from '$api/campaigns';
import type { ContactPage, ContactTags } from '$api/contacts';
import type { EnrollResult, SequenceResponse, SequenceRunsResponse } from '$api/sequences';
import type { Actions, PageServerLoad } from './$types';

const forbidden = 'Your role in this team cannot change sequences.';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const base = `${teamPath(team.id)}/sequences/${encodeURIComponent(event.params.sequenceId)}`;
  const client = api(event);
  try {
    const [{ sequence }, { runs }, { campaigns }, contacts, { tags }] = await Promise.all([
      client.get<SequenceResponse>(base),
      client.get<SequenceRunsResponse>(`${base}/runs`),
      client.get<CampaignsResponse>(`${teamPath(team.id)}/campaigns`),
      client.get<ContactPage>(`${teamPath(team.id)}/contacts?status=active&limit=200`),
      client.get<ContactTags>(`${teamPath(team.id)}/contacts/tags`),
    ]);
    const campaign = campaigns.find((c) => c.id === sequence.campaignId) ?? null;
    return { team, sequence, runs, campaign, contacts: contacts.contacts, tags };
  } catch (err) {
    loadError(err);
  }
};

function sequencePath(event: { params: { sequenceId: string } }, teamId: string): string {
  return `${teamPath(teamId)}/sequences/${encodeURIComponent(event.params.sequenceId)}`;
}

export const actions: Actions = {
  saveSteps: async (event) => {
    const team = requireTeam(event);
    const raw = field(await event.request.formData(), 'steps');
    let steps: unknown;
    try {
      steps = JSON.parse(raw);
    } catch {
      steps = [];
    }
    try {
      await api(event).put(`${sequencePath(event, team.id)}/steps`, { steps });
      return {
        action: 'saveSteps' as const,
        success:
          'Emails saved. Contacts you enroll from now on get these emails; those already in the sequence keep the emails they started with.',
      };
    } catch (err) {
      return actionFailure(err, { action: 'saveSteps' as const }, forbidden, [
        'steps',
        'subject',
        'body',
        'delaySeconds',
      ]);
    }
  },
  settings: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const values = { name: field(data, 'name'), trigger: field(data, 'trigger') };
    try {
      await api(event).patch(sequencePath(event, team.id), values);
      return { action: 'settings' as const, success: 'Saved.' };
    } catch (err) {
      return actionFailure(err, { action: 'settings' as const, values }, forbidden, ['name', 'trigger']);
    }
  },
  enroll: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const tag = field(data, 'tag');
    const contactIds = data.getAll('contactIds').filter((v): v is string => typeof v === 'string');
    try {
      const result = await api(event).post<EnrollResult>(`${sequencePath(event, team.id)}/enroll`, {
        ...(tag ? { tag } : {}),
        ...(contactIds.length > 0 ? { contactIds } : {}),
      });
      return { action: 'enroll' as const, result };
    } catch (err) {
      return actionFailure(err, { action: 'enroll' as const }, forbidden, []);
    }
  },
  remove: async (event) => {
    const team = requireTeam(event);
    try {
      await api(event).del(sequencePath(event, team.id));
    } catch (err) {
      return actionFailure(err, { action: 'remove' as const }, forbidden, []);
    }
    redirect(303, `/teams/${team.id}/sequences`);
  },
};
