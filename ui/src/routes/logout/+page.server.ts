import { redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { REFRESH_COOKIE, clearSessionCookies } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async (event) => {
    const refreshToken = event.cookies.get(REFRESH_COOKIE);
    try {
      await api(event).post('/auth/logout', refreshToken ? { refreshToken } : {});
    } catch (err) {
      // Logging out must always work locally even if the API could not revoke the token.
      console.error(`[${event.locals.requestId}] logout could not revoke the refresh token:`, err);
    }
    clearSessionCookies(event.cookies, event.url);
    redirect(303, '/login');
  },
};
