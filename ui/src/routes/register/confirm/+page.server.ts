import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field, rawField } from '$lib/server/forms';
import { setSessionCookies } from '$lib/server/session';
import type { Registration } from '$api/auth';
import type { Actions, PageServerLoad } from './$types';

/**
 * The emailed link lands here. Opening it only shows a button: mail scanners and link previews fetch links with
 * GET, and the link works once, so the account is created by the form's POST alone.
 */
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const token = field(data, 'token');
    const password = rawField(data, 'password');
    if (!token) return fail(400, { problem: 'invalid' as const });
    let auth: Registration;
    try {
      auth = await api(event).post<Registration>('/auth/register/confirm', { token, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const passwordError = err.fieldErrors().password;
      if (err.status === 400 && passwordError) {
        return fail(400, { problem: 'password' as const, message: passwordError });
      }
      if (err.status === 400) return fail(400, { problem: 'invalid' as const });
      if (err.status === 409) return fail(409, { problem: 'taken' as const });
      if (err.status === 429) {
        return fail(429, {
          problem: 'busy' as const,
          message: `Too many attempts from here. Try again in ${Math.ceil((err.retryAfter ?? 60) / 60)} minutes.`,
        });
      }
      return fail(err.status >= 500 ? 502 : err.status, { problem: 'busy' as const, message: err.message });
    }
    setSessionCookies(event.cookies, event.url, auth);
    redirect(303, '/');
  },
};
