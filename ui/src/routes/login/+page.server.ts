import { fail, redirect } from '@sveltejs/kit';
import { ApiError, api } from '$lib/server/api';
import { field, rawField } from '$lib/server/forms';
import { safeNext } from '$lib/server/guard';
import { setSessionCookies } from '$lib/server/session';
import type { Session } from '$api/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const email = field(data, 'email');
    const password = rawField(data, 'password');
    const next = safeNext(field(data, 'next'));

    if (!email || !password) {
      return fail(400, { email, message: 'Enter your email and password.' });
    }
    let auth: Session;
    try {
      auth = await api(event).post<Session>('/auth/login', { email, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const message =
        err.status === 401
          ? 'Email or password is incorrect.'
          : err.status === 429
            ? `Too many attempts. Try again in ${err.retryAfter ?? 60} seconds.`
            : err.message;
      return fail(err.status === 503 ? 503 : err.status >= 500 ? 502 : err.status, { email, message });
    }
    setSessionCookies(event.cookies, event.url, auth);
    redirect(303, next);
  },
};
