import { json, type RequestHandler } from '@sveltejs/kit';
import { plainMessage } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';

const headers = { 'cache-control': 'no-store' };

/**
 * The dry run of one step, for the builder (TryStep's preview, and the evaluated values beside the fields after
 * each autosave): `{ step_id, sample }` -> the API's dry run of the latest version. Errors come back with their
 * fields (`details[].field` relative to the step: `config.to`, `if`) and the message in words.
 */
export const POST: RequestHandler = async (event) => {
  if (!event.locals.user) {
    return json({ error: { message: 'Your session ended. Sign in again.' } }, { status: 401, headers });
  }
  const body = (await event.request.json().catch(() => null)) as {
    step_id?: unknown;
    sample?: unknown;
  } | null;
  if (!body || typeof body.step_id !== 'string') {
    return json({ error: { message: 'Choose a step to try.' } }, { status: 400, headers });
  }
  const { teamId, automationId } = event.params;
  try {
    const result = await api(event).post<unknown>(`/teams/${teamId}/automations/${automationId}/dry-run`, {
      step_id: body.step_id,
      sample: body.sample ?? { trigger: {} },
    });
    return json(result, { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const message =
      err.status === 403
        ? 'Only editors can try steps. Ask an owner of the team for the editor role.'
        : err.code === 'step_failed'
          ? err.message
          : plainMessage(err.message, err.status);
    return json(
      {
        error: {
          code: err.code,
          message,
          details: err.details.map((d) => ({ field: d.path, message: d.message })),
        },
      },
      { status: err.status, headers },
    );
  }
};
