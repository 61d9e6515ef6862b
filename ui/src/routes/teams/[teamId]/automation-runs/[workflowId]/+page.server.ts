import { fail, redirect } from '@sveltejs/kit';
import { plainMessage } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { loadError } from '$lib/server/guard';
import { requireTeam, teamPath } from '$lib/server/current-team';
import { getMeta } from '$lib/server/meta';
import type { AutomationRunDetail } from '$api/automation-runs';
import type { Actions, PageServerLoad } from './$types';

function runPath(params: { teamId: string; workflowId: string }): string {
  return `${teamPath(params.teamId)}/automation-runs/${encodeURIComponent(params.workflowId)}`;
}

export const load: PageServerLoad = async (event) => {
  const team = requireTeam(event);
  try {
    const [{ run }, meta] = await Promise.all([
      api(event).get<{ run: AutomationRunDetail }>(runPath(event.params)),
      getMeta(event.locals.requestId),
    ]);
    return { team, run, meta, plan: await stepsOfVersion(event, run) };
  } catch (err) {
    loadError(err);
  }
};

/**
 * The top-level steps of the version the run is pinned to (id, name, type), so the page can show what is still to
 * come; null when the version cannot be read (the automation was deleted).
 */
async function stepsOfVersion(
  event: Parameters<PageServerLoad>[0],
  run: AutomationRunDetail,
): Promise<{ id: string; name: string; type: string }[] | null> {
  try {
    const { version } = await api(event).get<{ version: { definition: { steps?: unknown } } }>(
      `${teamPath(event.params.teamId)}/automations/${run.automationId}/versions/${run.version}`,
    );
    const steps = Array.isArray(version.definition.steps) ? version.definition.steps : [];
    return steps.map((s: { id?: unknown; name?: unknown; type?: unknown }) => ({
      id: String(s.id ?? ''),
      name: String(s.name ?? ''),
      type: String(s.type ?? ''),
    }));
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
}

/** A refused action in words: the API's reason, or what the member's role cannot do. */
function refused(action: string, err: unknown, forbidden: string) {
  if (!(err instanceof ApiError)) throw err;
  const message =
    err.status === 403
      ? forbidden
      : err.code === 'decision_refused'
        ? `The run did not take your decision: ${err.message}`
        : plainMessage(err.message, err.status);
  return fail(err.status >= 500 ? 502 : err.status, { action, message });
}

const startedPath = (teamId: string, workflowId: string) =>
  `/teams/${teamId}/automation-runs/${encodeURIComponent(workflowId)}`;

export const actions: Actions = {
  decide: async (event) => {
    requireTeam(event);
    const form = await event.request.formData();
    const step = String(form.get('step') ?? '');
    const decision = form.get('decision') === 'reject' ? 'reject' : 'approve';
    const note = String(form.get('note') ?? '').trim();
    try {
      await api(event).post(`${runPath(event.params)}/decision`, {
        step,
        decision,
        ...(note ? { note: note.slice(0, 2000) } : {}),
      });
    } catch (err) {
      return refused('decide', err, 'Your role in this team cannot decide on this step.');
    }
    return { action: 'decide', decided: decision };
  },
  cancel: async (event) => {
    requireTeam(event);
    try {
      await api(event).post(`${runPath(event.params)}/cancel`);
    } catch (err) {
      return refused('cancel', err, 'Your role in this team cannot cancel runs: ask an editor.');
    }
    return { action: 'cancel', cancelled: true };
  },
  rerun: async (event) => {
    requireTeam(event);
    let started: { workflow_id: string };
    try {
      started = await api(event).post<{ workflow_id: string }>(`${runPath(event.params)}/rerun`);
    } catch (err) {
      return refused('rerun', err, 'Your role in this team cannot start runs: ask an editor.');
    }
    redirect(303, startedPath(event.params.teamId, started.workflow_id));
  },
  resume: async (event) => {
    requireTeam(event);
    let started: { workflow_id: string };
    try {
      started = await api(event).post<{ workflow_id: string }>(`${runPath(event.params)}/resume`);
    } catch (err) {
      return refused('resume', err, 'Your role in this team cannot resume runs: ask an editor.');
    }
    redirect(303, startedPath(event.params.teamId, started.workflow_id));
  },
};
