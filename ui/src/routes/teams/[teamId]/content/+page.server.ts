import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignsResponse } from '$api/campaigns';
import type { ContentListResponse, ContentStatus, CreatedContentResponse } from '$api/content';
import { contentStatuses, isContentLength, isContentType } from '$lib/content';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const wanted = event.url.searchParams.get('status');
  const status: ContentStatus | null = contentStatuses.find((s) => s === wanted) ?? null;
  const client = api(event);
  try {
    const [{ content }, { campaigns }] = await Promise.all([
      client.get<ContentListResponse>(`${teamPath(team.id)}/content${status ? `?status=${status}` : ''}`),
      client.get<CampaignsResponse>(`${teamPath(team.id)}/campaigns`),
    ]);
    return {
      team,
      content,
      campaigns: campaigns.filter((c) => c.status !== 'archived'),
      status,
      campaignId: event.url.searchParams.get('campaignId'),
    };
  } catch (err) {
    loadError(err);
  }
};

export const actions: Actions = {
  create: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const values = {
      campaignId: field(data, 'campaignId'),
      type: field(data, 'type'),
      tone: field(data, 'tone'),
      keywords: field(data, 'keywords'),
      length: field(data, 'length'),
    };
    if (!values.campaignId || !isContentType(values.type) || !isContentLength(values.length)) {
      return fail(400, {
        values,
        message: 'Choose a campaign, a content type and a length.',
        fieldErrors: {} as Record<string, string>,
      });
    }
    const keywords = values.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    let created: CreatedContentResponse;
    try {
      created = await api(event).post<CreatedContentResponse>(`${teamPath(team.id)}/content`, {
        campaignId: values.campaignId,
        type: values.type,
        tone: values.tone,
        keywords,
        length: values.length,
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return fail(err.status >= 500 ? 502 : err.status, {
        values,
        message: err.status === 403 ? 'Your role in this team cannot create content.' : err.message,
        fieldErrors: err.fieldErrors(),
      });
    }
    redirect(303, `/teams/${team.id}/content/${created.content.id}`);
  },
};
