import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { BroadcastsResponse } from '$api/broadcasts';
import type { CampaignsResponse } from '$api/campaigns';
import type { ContactPage, ContactTags } from '$api/contacts';
import type { Actions, PageServerLoad } from './$types';

const forbidden = 'Your role in this team cannot send broadcasts.';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ broadcasts }, { tags }, contacts, campaigns] = await Promise.all([
      client.get<BroadcastsResponse>(`${teamPath(team.id)}/broadcasts`),
      client.get<ContactTags>(`${teamPath(team.id)}/contacts/tags`),
      client.get<ContactPage>(`${teamPath(team.id)}/contacts?status=active&limit=50`),
      // Campaigns to send a broadcast for (optional: the form works without them).
      client
        .get<CampaignsResponse>(`${teamPath(team.id)}/campaigns?status=active`)
        .then((r) => r.campaigns.map(({ id, name }) => ({ id, name })))
        .catch(() => []),
    ]);
    return { team, broadcasts, tags, contacts: contacts.contacts, campaigns };
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
      subject: field(data, 'subject'),
      body: field(data, 'body'),
      tag: field(data, 'tag'),
      campaignId: field(data, 'campaignId'),
      sendAt: field(data, 'sendAt'),
    };
    try {
      // Empty fields are left out: no campaign, send now.
      const body = Object.fromEntries(
        Object.entries(values).filter(
          ([key, value]) => value !== '' || (key !== 'sendAt' && key !== 'campaignId'),
        ),
      );
      await api(event).post(`${teamPath(team.id)}/broadcasts`, body);
      return { action: 'create' as const, success: `Broadcast “${values.name}” scheduled.` };
    } catch (err) {
      return actionFailure(err, { action: 'create' as const, values }, forbidden, [
        'name',
        'subject',
        'body',
        'tag',
        'campaignId',
        'sendAt',
      ]);
    }
  },
  cancel: async (event) => {
    const team = requireTeam(event);
    const broadcastId = field(await event.request.formData(), 'broadcastId');
    try {
      await api(event).post(`${teamPath(team.id)}/broadcasts/${encodeURIComponent(broadcastId)}/cancel`);
      return { action: 'cancel' as const, broadcastId, success: 'Cancelled.' };
    } catch (err) {
      return actionFailure(err, { action: 'cancel' as const, broadcastId }, forbidden, []);
    }
  },
};
