import { json } from '@sveltejs/kit';
import type { EditedAutomation } from '$lib/automation-draft';
import { ApiError, api } from '$lib/server/api';
import { teamPath } from '$lib/server/current-team';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'no-store' };

/**
 * The editor's autosave: PATCH `{ definition }` saves it as the draft version. A definition the API refuses
 * answers its 400 `validation_failed` with every problem in `details`, so the editor can show each on its field.
 */
export const PATCH: RequestHandler = async (event) => {
  if (!event.locals.user) {
    return json(
      { error: { code: 'unauthorized', message: 'Log in again', details: [] } },
      { status: 401, headers },
    );
  }
  let body: unknown;
  try {
    body = await event.request.json();
  } catch {
    return json(
      { error: { code: 'bad_request', message: 'Send the steps as JSON', details: [] } },
      { status: 400, headers },
    );
  }
  const definition = (body as { definition?: unknown } | null)?.definition;
  if (definition === undefined) {
    return json(
      { error: { code: 'bad_request', message: 'Send the steps to save', details: [] } },
      { status: 400, headers },
    );
  }
  try {
    const { automation } = await api(event).patch<{ automation: EditedAutomation }>(
      `${teamPath(event.params.teamId)}/automations/${encodeURIComponent(event.params.automationId)}`,
      { definition },
    );
    return json({ latestVersion: automation.latestVersion, updatedAt: automation.updatedAt }, { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return json(
      { error: { code: err.code, message: err.message, details: err.details } },
      { status: err.status, headers },
    );
  }
};
