import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { actionFailure } from '$lib/server/action-failure';
import { field } from '$lib/server/forms';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import { importProblemLines, readExportFile } from '$lib/automation-list';
import { plainMessage } from '$lib/api-words';
import type { AutomationResponse, AutomationsResponse } from '$api/automations';
import type { AutomationTemplatesResponse } from '$api/automation-templates';
import type { CampaignsResponse } from '$api/campaigns';
import type { SequencesResponse } from '$api/sequences';
import type { Actions, PageServerLoad } from './$types';

interface RunsPage {
  runs: { automationId: string; status: string; createdAt: string }[];
  nextBefore: string | null;
}

/** The newest runs of the team (one call): each automation's latest run, when it is among them. */
async function latestRuns(event: Parameters<PageServerLoad>[0], teamId: string) {
  try {
    const page = await api(event).get<RunsPage>(`${teamPath(teamId)}/automation-runs?limit=200`);
    const latest: Record<string, { status: string; createdAt: string }> = {};
    for (const run of page.runs)
      latest[run.automationId] ??= { status: run.status, createdAt: run.createdAt };
    // Without a next page every run was listed: an automation missing here has never run.
    return { latest, complete: page.nextBefore === null };
  } catch {
    return { latest: {}, complete: false };
  }
}

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  const path = teamPath(team.id);
  try {
    const [{ automations }, { templates }, runs, { campaigns }, { sequences }] = await Promise.all([
      api(event).get<AutomationsResponse>(`${path}/automations`),
      api(event).get<AutomationTemplatesResponse>('/automation-templates'),
      latestRuns(event, team.id),
      api(event).get<CampaignsResponse>(`${path}/campaigns`),
      api(event).get<SequencesResponse>(`${path}/sequences`),
    ]);
    return {
      team,
      automations,
      templates,
      runs,
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.name, vendor: c.vendor })),
      sequences: sequences.map((s) => ({ id: s.id, name: s.name, stepCount: s.stepCount })),
    };
  } catch (err) {
    loadError(err);
  }
};

const FORBIDDEN =
  'Your role in this team can look at automations but not create them. Ask an owner or admin.';

export const actions: Actions = {
  create: async (event) => {
    const team = requireTeam(event);
    const name = field(await event.request.formData(), 'name');
    let id: string;
    try {
      ({
        automation: { id },
      } = await api(event).post<AutomationResponse>(`${teamPath(team.id)}/automations`, { name }));
    } catch (err) {
      return actionFailure(err, { action: 'create' as const, name }, FORBIDDEN, ['name']);
    }
    redirect(303, `/teams/${team.id}/automations/${id}`);
  },

  fromTemplate: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const templateId = field(data, 'template_id');
    const values: Record<string, string> = {};
    for (const [key, value] of data.entries()) {
      if (key.startsWith('values.') && typeof value === 'string') values[key.slice(7)] = value.trim();
    }
    const name = field(data, 'name');
    let id: string;
    try {
      ({
        automation: { id },
      } = await api(event).post<AutomationResponse>(`${teamPath(team.id)}/automations/from-template`, {
        template_id: templateId,
        ...(name ? { name } : {}),
        values,
      }));
    } catch (err) {
      const fields = ['name', ...Object.keys(values)];
      return actionFailure(err, { action: 'template' as const, templateId, values, name }, FORBIDDEN, fields);
    }
    redirect(303, `/teams/${team.id}/automations/${id}`);
  },

  import: async (event) => {
    const team = requireTeam(event);
    const data = await event.request.formData();
    const file = data.get('file');
    const pasted = field(data, 'text');
    const text = file instanceof File && file.size > 0 ? await file.text() : pasted;
    const read = readExportFile(text);
    if (!read.ok) return fail(400, { action: 'import' as const, message: read.message, problems: [] });
    let id: string;
    try {
      ({
        automation: { id },
      } = await api(event).post<AutomationResponse>(`${teamPath(team.id)}/automations/import`, read.body));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 403)
        return fail(403, { action: 'import' as const, message: FORBIDDEN, problems: [] });
      const problems = importProblemLines(
        err.details.map((d) => ({ ...d, message: plainMessage(d.message) })),
        read.body,
      );
      const message =
        err.status === 413
          ? 'This file is too large to import (at most 512 KB of steps).'
          : problems.length > 0
            ? 'This file cannot be imported as it is. Fix these and try again:'
            : plainMessage(err.message, err.status);
      return fail(err.status >= 500 ? 502 : err.status, { action: 'import' as const, message, problems });
    }
    redirect(303, `/teams/${team.id}/automations/${id}`);
  },
};
