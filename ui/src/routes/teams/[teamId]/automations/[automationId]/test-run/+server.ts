import { json, type RequestHandler } from '@sveltejs/kit';
import { plainMessage } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { sampleTriggerPayload } from '$lib/server/automation-samples';

const headers = { 'cache-control': 'no-store' };

type TriggerQuery = Parameters<typeof sampleTriggerPayload>[0];

/**
 * GET: a sample payload for a trigger (`?type=clickbank&transaction_type=SALE`, `?type=event&event=contact.tagged`),
 * built by the platform's own payload functions; the builder prefills test runs and picks values from it.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
  if (!locals.user)
    return json({ error: { message: 'Your session ended. Sign in again.' } }, { status: 401 });
  const type = url.searchParams.get('type') ?? 'manual';
  const event = url.searchParams.get('event');
  const transaction = url.searchParams.get('transaction_type');
  const trigger = {
    type,
    ...(event ? { event } : {}),
    ...(transaction ? { transaction_types: [transaction] } : {}),
  } as TriggerQuery;
  return json({ trigger: sampleTriggerPayload(trigger) }, { headers });
};

/**
 * POST `{ payload }`: starts a test run of the automation's latest version (the steps as the editor saved them,
 * draft or published, even before the first activation; nothing is published); answers its workflow id.
 */
export const POST: RequestHandler = async (event) => {
  if (!event.locals.user) {
    return json({ error: { message: 'Your session ended. Sign in again.' } }, { status: 401, headers });
  }
  const body = (await event.request.json().catch(() => null)) as { payload?: unknown } | null;
  const { teamId, automationId } = event.params;
  try {
    const started = await api(event).post<{ workflow_id: string; status: string }>(
      `/teams/${teamId}/automations/${automationId}/runs`,
      { payload: body?.payload ?? {}, version: 'latest' },
    );
    return json(started, { headers });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const message =
      err.code === 'no_definition'
        ? 'Add a step first: there is nothing to run yet.'
        : err.status === 403
          ? 'Only editors can start test runs. Ask an owner of the team for the editor role.'
          : plainMessage(err.message, err.status);
    return json({ error: { code: err.code, message } }, { status: err.status, headers });
  }
};
