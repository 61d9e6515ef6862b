import { redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { loadAnalytics } from '$lib/server/analytics';
import { isCampaignBreakdown } from '$lib/analytics';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignResponse } from '$api/campaigns';
import type { Content, ContentListResponse } from '$api/content';
import type { IntegrationsResponse } from '$api/integrations';
import type { TrackingLink, TrackingLinksResponse } from '$api/tracking-links';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function campaignPath(event: RequestEvent | Parameters<PageServerLoad>[0]): string {
  return `${teamPath(event.params.teamId)}/campaigns/${encodeURIComponent(event.params.campaignId)}`;
}

const loadCampaign = async (event: Parameters<PageServerLoad>[0]) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ campaign }, content, links, clickbankMode] = await Promise.all([
      client.get<CampaignResponse>(campaignPath(event)),
      // The campaign's content is a convenience list: the page still works if it cannot be read.
      client
        .get<ContentListResponse>(`${teamPath(team.id)}/content`)
        .then((r) => r.content.filter((c) => c.campaignId === event.params.campaignId))
        .catch(() => [] as Content[]),
      // Tracking links: null when they cannot be read (the page says so instead of showing none).
      client
        .get<TrackingLinksResponse>(`${campaignPath(event)}/links`)
        .then((r) => r.links)
        .catch(() => null as TrackingLink[] | null),
      // Whether the HopLink credits the sandbox account: a detail, so null when it cannot be read.
      client
        .get<IntegrationsResponse>(`${teamPath(team.id)}/integrations`)
        .then((r) => r.integrations.find((i) => i.provider === 'clickbank')?.mode ?? null)
        .catch(() => null),
    ]);
    return { team, campaign, content, links, clickbankMode };
  } catch (err) {
    loadError(err);
  }
};

/** The campaign's figures and the breakdown in the address (`?by=`, default by source). */
async function loadFigures(event: Parameters<PageServerLoad>[0]) {
  const by = event.url.searchParams.get('by');
  const breakdown = isCampaignBreakdown(by) ? by : 'source';
  try {
    const analytics = await loadAnalytics(api(event), event.url, {
      teamId: event.params.teamId,
      campaignId: event.params.campaignId,
      breakdowns: [breakdown],
      limit: 20,
    });
    return { analytics, breakdown };
  } catch (err) {
    // A campaign that is not there: its own read says so (the not-found page).
    if (err instanceof ApiError && err.status === 404) return { analytics: null, breakdown };
    loadError(err);
  }
}

export const load: PageServerLoad = async (event) => {
  const [page, figures] = await Promise.all([loadCampaign(event), loadFigures(event)]);
  return { ...page, ...figures };
};

function failWith(err: unknown, action: string, values: Record<string, string> = {}) {
  return actionFailure(err, { action, values }, 'Your role in this team does not allow that.', [
    'name',
    'status',
  ]);
}

export const actions: Actions = {
  update: async (event) => {
    requireTeam(event);
    const data = await event.request.formData();
    const name = field(data, 'name');
    const status = field(data, 'status');
    try {
      await api(event).patch(campaignPath(event), { name, ...(status ? { status } : {}) });
    } catch (err) {
      return failWith(err, 'update', { name, status });
    }
    return { action: 'update', success: 'Campaign saved.' };
  },
  archive: async (event) => {
    requireTeam(event);
    try {
      await api(event).post(`${campaignPath(event)}/archive`);
    } catch (err) {
      return failWith(err, 'archive');
    }
    redirect(303, `/teams/${event.params.teamId}/campaigns/${event.params.campaignId}`);
  },
};
