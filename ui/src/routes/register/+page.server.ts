import { splitApiError } from '$lib/api-words';
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
      // Each problem once: beside its field, or in the banner when no field is at fault.
      const split = splitApiError(err.message, err.details, ['name', 'email', 'password'], err.status);
      const fieldErrors = split.fieldErrors;
      const message =
        err.status === 429
          ? `Too many sign-ups from here. Try again in ${Math.ceil((err.retryAfter ?? 60) / 60)} minutes.`
          : split.message;
      return fail(err.status >= 500 ? 502 : err.status, { values, fieldErrors, message });
    }
    // The same answer whether or not the address has an account: the email says which it was.
    const meta = await getMeta(event.locals.requestId);
    return { sentTo: started.email, mailboxUrl: meta?.sandboxMailboxUrl ?? null };
  },
};
