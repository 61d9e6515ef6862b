import { json } from '@sveltejs/kit';
import { plainMessage } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { teamPath } from '$lib/server/current-team';
import type { AutomationDetail } from '$lib/automation-lifecycle';
import type { RequestHandler } from './$types';

const headers = { 'cache-control': 'no-store' };

type Action =
  | { action: 'activate' }
  | { action: 'pause' }
  | { action: 'rename'; name: string }
  | { action: 'delete'; runs?: 'cancel' | 'keep' };

function parse(body: unknown): Action | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (b.action === 'activate' || b.action === 'pause') return { action: b.action };
  if (b.action === 'rename' && typeof b.name === 'string') return { action: 'rename', name: b.name };
  if (b.action === 'delete') {
    const runs = b.runs === 'cancel' || b.runs === 'keep' ? b.runs : undefined;
    return { action: 'delete', runs };
  }
  return null;
}

/**
 * The header's actions (activate, pause, rename, delete), called from the browser: the layout has no form
 * actions, and Activate must first let the editor save its unsaved edits. Errors keep the API's code and
 * details (the activation's validation problems, the number of running runs) with the message in words.
 */
export const POST: RequestHandler = async (event) => {
  if (!event.locals.user) {
    return json(
      { error: { code: 'unauthorized', message: 'Your session ended. Sign in again.' } },
      { status: 401, headers },
    );
  }
  const action = parse(await event.request.json().catch(() => null));
  if (!action)
    return json({ error: { code: 'bad_request', message: 'Unknown action' } }, { status: 400, headers });
  const path = `${teamPath(event.params.teamId)}/automations/${encodeURIComponent(event.params.automationId)}`;
  const client = api(event);
  try {
    switch (action.action) {
      case 'activate':
        return json(await client.post<{ automation: AutomationDetail }>(`${path}/activate`), { headers });
      case 'pause':
        return json(await client.post<{ automation: AutomationDetail }>(`${path}/pause`), { headers });
      case 'rename':
        return json(await client.patch<{ automation: AutomationDetail }>(path, { name: action.name }), {
          headers,
        });
      case 'delete':
        await client.del(action.runs ? `${path}?runs=${action.runs}` : path);
        return json({ deleted: true }, { headers });
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const message =
      err.status === 403
        ? 'Your role in this team does not allow that.'
        : plainMessage(err.message, err.status);
    return json(
      { error: { code: err.code, message, details: err.details } },
      { status: err.status >= 500 ? 502 : err.status, headers },
    );
  }
};
