import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field, rawField } from '$lib/server/forms';
import { setSessionCookies } from '$lib/server/session';
import type { Registration } from '$api/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = { name: field(data, 'name'), email: field(data, 'email') };
    const password = rawField(data, 'password');

    let auth: Registration;
    try {
      auth = await api(event).post<Registration>('/auth/register', { ...values, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fieldErrors = err.fieldErrors();
      // A taken email comes back as a conflict without details; show it beside the email field.
      if (err.status === 409 && !fieldErrors.email) fieldErrors.email = err.message;
      const message =
        Object.keys(fieldErrors).length > 0 ? 'Please fix the highlighted fields.' : err.message;
      return fail(err.status >= 500 ? 502 : err.status, { values, fieldErrors, message });
    }
    setSessionCookies(event.cookies, event.url, auth);
    redirect(303, '/');
  },
};
