import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/server/guard';
import { isTheme, writeTheme } from '$lib/server/theme';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ request, cookies, url }) => {
    const data = await request.formData();
    const theme = data.get('theme');
    if (isTheme(theme)) writeTheme(cookies, url, theme);
    const next = data.get('next');
    redirect(303, safeNext(typeof next === 'string' ? next : null));
  },
};
