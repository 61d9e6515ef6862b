import { fail } from '@sveltejs/kit';
import { plainMessage, splitApiError } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import type { CampaignResponse } from '$api/campaigns';
import type { ContentResponse, RevisionListResponse, SavedEditResponse } from '$api/content';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function contentPath(event: { params: { teamId: string; contentId: string } }): string {
  return `${teamPath(event.params.teamId)}/content/${encodeURIComponent(event.params.contentId)}`;
}

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const client = api(event);
  try {
    const [{ content, progress }, { revisions }] = await Promise.all([
      client.get<ContentResponse>(contentPath(event)),
      client.get<RevisionListResponse>(`${contentPath(event)}/revisions`),
    ]);
    // campaignId is null when the campaign was deleted; the page then shows no campaign link.
    const campaign = content.campaignId
      ? await client
          .get<CampaignResponse>(`${teamPath(team.id)}/campaigns/${encodeURIComponent(content.campaignId)}`)
          .then((r) => r.campaign)
          .catch(() => null)
      : null;
    return { team, content, progress: progress ?? null, campaign, revisions };
  } catch (err) {
    loadError(err);
  }
};

/** The DateTimeInput sends `publishAt` as ISO, converted from the reader's own time zone. */
function readPublishAt(data: FormData): string | null | 'invalid' {
  const raw = field(data, 'publishAt');
  if (!raw) return null;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString();
}

/** The date field's answer to a time that has passed, at the field (the workflow refuses it without a field). */
const PAST = /^publishAt must be in the future$/i;

function failWith(err: unknown, action: string) {
  if (!(err instanceof ApiError)) throw err;
  if (err.status === 403) {
    return fail(403, { action, message: 'Your role in this team cannot review content.', fieldErrors: {} });
  }
  if (PAST.test(err.message)) {
    return fail(400, { action, message: undefined, fieldErrors: { publishAt: plainMessage(err.message) } });
  }
  const split = splitApiError(err.message, err.details, ['publishAt', 'body', 'notes'], err.status);
  const message =
    split.message && err.code === 'invalid_transition'
      ? `That is not possible now: ${split.message}`
      : split.message;
  return fail(err.status >= 500 ? 502 : err.status, {
    action,
    message: message ?? undefined,
    fieldErrors: split.fieldErrors,
  });
}

/** A publish time at its field: missing, not a date, or already past. */
function publishAtProblem(publishAt: string | null | 'invalid'): string | null {
  if (!publishAt || publishAt === 'invalid') return 'Pick the date and time to publish at.';
  return new Date(publishAt).getTime() <= Date.now() ? plainMessage('publishAt must be in the future') : null;
}

async function review(event: RequestEvent, body: Record<string, unknown>, action: string) {
  try {
    await api(event).post<ContentResponse>(`${contentPath(event)}/review`, body);
  } catch (err) {
    return failWith(err, action);
  }
  return { action, success: true };
}

export const actions: Actions = {
  approve: async (event) => {
    requireTeam(event);
    const data = await event.request.formData();
    const mode = field(data, 'mode');
    // The version on screen: approving publishes exactly it, even if someone saved another edit meanwhile.
    const revisionId = field(data, 'revisionId');
    const approve = { decision: 'approve', ...(revisionId ? { revisionId } : {}) };
    if (mode === 'draft') return review(event, { ...approve, publish: false }, 'approve');
    if (mode === 'schedule') {
      const publishAt = readPublishAt(data);
      const problem = publishAtProblem(publishAt);
      if (problem || !publishAt || publishAt === 'invalid') {
        return fail(400, {
          action: 'approve',
          message: undefined,
          fieldErrors: { publishAt: problem ?? '' },
        });
      }
      return review(event, { ...approve, publish: true, publishAt }, 'approve');
    }
    return review(event, { ...approve, publish: true, publishAt: null }, 'approve');
  },
  saveEdit: async (event) => {
    requireTeam(event);
    const body = field(await event.request.formData(), 'body');
    if (!body)
      return fail(400, { action: 'saveEdit', message: 'Write some text before saving.', fieldErrors: {} });
    try {
      await api(event).post<SavedEditResponse>(`${contentPath(event)}/revisions`, { body });
    } catch (err) {
      return failWith(err, 'saveEdit');
    }
    return { action: 'saveEdit', success: true };
  },
  revise: async (event) => {
    requireTeam(event);
    const notes = field(await event.request.formData(), 'notes');
    if (!notes) return fail(400, { action: 'revise', message: 'Say what to change.', fieldErrors: {} });
    return review(event, { decision: 'revise', notes }, 'revise');
  },
  reject: async (event) => {
    requireTeam(event);
    const notes = field(await event.request.formData(), 'notes');
    return review(event, { decision: 'reject', ...(notes ? { notes } : {}) }, 'reject');
  },
  schedule: async (event) => {
    requireTeam(event);
    const data = await event.request.formData();
    const publishAt = field(data, 'cancel') ? null : readPublishAt(data);
    const problem = field(data, 'cancel') ? null : publishAtProblem(publishAt);
    if (problem || publishAt === 'invalid') {
      return fail(400, { action: 'schedule', message: undefined, fieldErrors: { publishAt: problem ?? '' } });
    }
    try {
      await api(event).post<ContentResponse>(`${contentPath(event)}/schedule`, { publishAt });
    } catch (err) {
      return failWith(err, 'schedule');
    }
    return { action: 'schedule', success: true };
  },
};
