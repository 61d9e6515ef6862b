import { splitApiError } from '$lib/api-words';
import { error, fail } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field, rawField } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import {
  integrationInfo,
  type IntegrationActionName as ActionName,
  type IntegrationFormResult,
  type IntegrationInfo,
} from '$lib/integrations';
import type { ConnectionTest, IntegrationsResponse } from '$api/integrations';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const team = event.locals.teams.find((t) => t.id === event.params.teamId);
  if (!team) error(404, { message: 'No such team, or you are not a member of it.' });
  try {
    const { integrations } = await api(event).get<IntegrationsResponse>(
      `/teams/${encodeURIComponent(team.id)}/integrations`,
    );
    return { team, integrations };
  } catch (err) {
    loadError(err);
  }
};

/** The API's answer in words: field errors beside the provider's fields, anything else once in the banner. */
function failWith(err: unknown, result: IntegrationFormResult) {
  if (!(err instanceof ApiError)) throw err;
  const fields = integrationInfo(result.provider)?.fields.map((f) => f.name) ?? [];
  const split =
    err.status === 403
      ? { fieldErrors: {}, message: 'Only owners and admins of this team can change or test integrations.' }
      : splitApiError(err.message, err.details, result.action === 'save' ? fields : [], err.status);
  return fail(err.status >= 500 ? 502 : err.status, {
    ...result,
    ...(split.message ? { message: split.message } : {}),
    fieldErrors: split.fieldErrors,
  } satisfies IntegrationFormResult);
}

async function readProvider(
  event: RequestEvent,
): Promise<{ data: FormData; info: IntegrationInfo | undefined }> {
  requireUser(event);
  const data = await event.request.formData();
  return { data, info: integrationInfo(field(data, 'provider')) };
}

function path(event: RequestEvent, info: IntegrationInfo, suffix = ''): string {
  return `/teams/${encodeURIComponent(event.params.teamId)}/integrations/${info.provider}${suffix}`;
}

const unknownProvider = (action: ActionName) =>
  fail(400, { action, provider: '', message: 'Unknown integration.' } satisfies IntegrationFormResult);

export const actions: Actions = {
  save: async (event) => {
    const { data, info } = await readProvider(event);
    if (!info) return unknownProvider('save');
    const body: Record<string, string | null> = {};
    const values: Record<string, string> = {};
    for (const f of info.fields) {
      // An empty secret means "keep the stored one"; an empty optional setting is left out.
      const value = f.secret ? rawField(data, f.name) : field(data, f.name);
      if (!f.secret) values[f.name] = value;
      if (f.clearable && data.get(`clear_${f.name}`) === 'on' && value === '') {
        body[f.name] = null;
        continue;
      }
      if (value === '' && (f.secret || !f.required)) continue;
      body[f.name] = value;
    }
    try {
      await api(event).put(path(event, info), body);
    } catch (err) {
      return failWith(err, { action: 'save', provider: info.provider, values });
    }
    return {
      action: 'save',
      provider: info.provider,
      success: `${info.name} settings saved.`,
    } satisfies IntegrationFormResult;
  },

  test: async (event) => {
    const { info } = await readProvider(event);
    if (!info) return unknownProvider('test');
    try {
      const test = await api(event).post<ConnectionTest>(path(event, info, '/test'));
      return { action: 'test', provider: info.provider, test } satisfies IntegrationFormResult;
    } catch (err) {
      return failWith(err, { action: 'test', provider: info.provider });
    }
  },

  disconnect: async (event) => {
    const { info } = await readProvider(event);
    if (!info) return unknownProvider('disconnect');
    try {
      await api(event).del(path(event, info));
    } catch (err) {
      return failWith(err, { action: 'disconnect', provider: info.provider });
    }
    return {
      action: 'disconnect',
      provider: info.provider,
      success: `${info.name} disconnected: the team's credentials were removed.`,
    } satisfies IntegrationFormResult;
  },
};
