import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field, rawField } from '$lib/server/forms';
import { getMeta } from '$lib/server/meta';
import type { RegistrationStarted } from '$api/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = { name: field(data, 'name'), email: field(data, 'email') };
    const password = rawField(data, 'password');

    let started: RegistrationStarted;
    try {
      started = await api(event).post<RegistrationStarted>('/auth/register', { ...values, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fieldErrors = err.fieldErrors();
      const message =
        err.status === 429
          ? `Too many sign-ups from here. Try again in ${Math.ceil((err.retryAfter ?? 60) / 60)} minutes.`
          : Object.keys(fieldErrors).length > 0
            ? 'Please fix the highlighted fields.'
            : err.message;
      return fail(err.status >= 500 ? 502 : err.status, { values, fieldErrors, message });
    }
    // The same answer whether or not the address has an account: the email says which it was.
    const meta = await getMeta(event.locals.requestId);
    return { sentTo: started.email, mailboxUrl: meta?.sandboxMailboxUrl ?? null };
  },
};
