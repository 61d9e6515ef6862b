import { api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignResponse } from '$api/campaigns';
import type { TrackingLink, TrackingLinkResponse, TrackingLinksResponse } from '$api/tracking-links';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const linksPath = (event: RequestEvent | Parameters<PageServerLoad>[0]): string =>
  `${teamPath(event.params.teamId)}/campaigns/${encodeURIComponent(event.params.campaignId)}/links`;

/** Every link of the campaign, archived ones too (they still redirect and count). */
export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ campaign }, { links }] = await Promise.all([
      client.get<CampaignResponse>(
        `${teamPath(team.id)}/campaigns/${encodeURIComponent(event.params.campaignId)}`,
      ),
      client.get<TrackingLinksResponse>(`${linksPath(event)}?archived=true`),
    ]);
    return { team, campaign, links };
  } catch (err) {
    loadError(err);
  }
};

function failWith(err: unknown, action: string, values: Record<string, string> = {}) {
  return actionFailure(err, { action, values }, 'Your role in this team does not allow that.', [
    'name',
    'source',
    'slug',
  ]);
}

export const actions: Actions = {
  create: async (event) => {
    requireTeam(event);
    const data = await event.request.formData();
    const values = { name: field(data, 'name'), source: field(data, 'source'), slug: field(data, 'slug') };
    try {
      await api(event).post(linksPath(event), {
        name: values.name,
        source: values.source,
        ...(values.slug ? { slug: values.slug } : {}),
      });
    } catch (err) {
      return failWith(err, 'create', values);
    }
    return { action: 'create', success: `Link “${values.name}” added: copy it from the list.` };
  },
  archive: async (event) => {
    requireTeam(event);
    const linkId = field(await event.request.formData(), 'linkId');
    let link: TrackingLink;
    try {
      ({ link } = await api(event).post<TrackingLinkResponse>(
        `${linksPath(event)}/${encodeURIComponent(linkId)}/archive`,
      ));
    } catch (err) {
      return failWith(err, 'archive');
    }
    return {
      action: 'archive',
      success: `Link “${link.name}” archived: it keeps sending visitors on and counting their clicks.`,
      linkId: link.id,
    };
  },
  restore: async (event) => {
    requireTeam(event);
    const linkId = field(await event.request.formData(), 'linkId');
    let link: TrackingLink;
    try {
      ({ link } = await api(event).post<TrackingLinkResponse>(
        `${linksPath(event)}/${encodeURIComponent(linkId)}/restore`,
      ));
    } catch (err) {
      return failWith(err, 'restore');
    }
    return { action: 'restore', success: `Link “${link.name}” is back in the list.`, linkId: link.id };
  },
};
