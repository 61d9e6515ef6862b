import { fail, redirect } from '@sveltejs/kit';
import { splitApiError } from '$lib/api-words';
import { ApiError, api } from '$lib/server/api';
import { field } from '$lib/server/forms';
import { loadError, requireUser } from '$lib/server/guard';
import { isRole } from '$lib/roles';
import type { MembersResponse, TeamResponse } from '$api/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  const client = api(event);
  const base = `/teams/${encodeURIComponent(event.params.teamId)}`;
  try {
    const [{ team }, { members }] = await Promise.all([
      client.get<TeamResponse>(base),
      client.get<MembersResponse>(`${base}/members`),
    ]);
    return { team, members, me: user.id };
  } catch (err) {
    loadError(err);
  }
};

/** Friendlier words for the API's conflict codes; anything else shows the API's own message. */
function explain(err: ApiError): string {
  switch (err.code) {
    case 'last_owner':
      return 'A team needs at least one owner. Make someone else owner first.';
    case 'user_not_found':
      return 'No Hopflow account uses that email. Ask them to sign up first.';
    case 'already_member':
      return 'That person is already in this team.';
    default:
      return err.status === 403 ? 'Your role in this team does not allow that.' : err.message;
  }
}

function failWith<E extends Record<string, unknown>>(err: unknown, extra: E, fields: readonly string[] = []) {
  if (!(err instanceof ApiError)) throw err;
  const known = ['last_owner', 'user_not_found', 'already_member'].includes(err.code) || err.status === 403;
  const split: { fieldErrors: Record<string, string>; message: string | null } = known
    ? { fieldErrors: {}, message: explain(err) }
    : splitApiError(err.message, err.details, fields, err.status);
  return fail(err.status >= 500 ? 502 : err.status, {
    ...extra,
    message: split.message ?? undefined,
    fieldErrors: split.fieldErrors,
  });
}

export const actions: Actions = {
  rename: async (event) => {
    requireUser(event);
    const name = field(await event.request.formData(), 'name');
    try {
      await api(event).patch(`/teams/${encodeURIComponent(event.params.teamId)}`, { name });
    } catch (err) {
      return failWith(err, { action: 'rename' as const, name }, ['name']);
    }
    return { action: 'rename' as const, name, success: 'Team renamed.' };
  },

  addMember: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const email = field(data, 'email');
    const role = field(data, 'role');
    if (!email || !isRole(role)) {
      return fail(400, { action: 'addMember' as const, email, message: 'Enter an email and pick a role.' });
    }
    try {
      await api(event).post(`/teams/${encodeURIComponent(event.params.teamId)}/members`, { email, role });
    } catch (err) {
      return failWith(err, { action: 'addMember' as const, email }, ['email', 'role']);
    }
    return { action: 'addMember' as const, success: `${email} was added as ${role}.` };
  },

  changeRole: async (event) => {
    requireUser(event);
    const data = await event.request.formData();
    const userId = field(data, 'userId');
    const role = field(data, 'role');
    if (!userId || !isRole(role))
      return fail(400, { action: 'changeRole' as const, userId, message: 'Pick a role.' });
    try {
      await api(event).patch(
        `/teams/${encodeURIComponent(event.params.teamId)}/members/${encodeURIComponent(userId)}`,
        { role },
      );
    } catch (err) {
      return failWith(err, { action: 'changeRole' as const, userId });
    }
    return { action: 'changeRole' as const, userId, success: 'Role updated.' };
  },

  removeMember: async (event) => {
    const user = requireUser(event);
    const userId = field(await event.request.formData(), 'userId');
    try {
      await api(event).del(
        `/teams/${encodeURIComponent(event.params.teamId)}/members/${encodeURIComponent(userId)}`,
      );
    } catch (err) {
      return failWith(err, { action: 'removeMember' as const, userId });
    }
    // Leaving a team means its page is no longer visible to us.
    if (userId === user.id) redirect(303, '/teams');
    return { action: 'removeMember' as const, userId, success: 'Member removed.' };
  },
};
