import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

/** The nav's "Integrations" link: open the chosen team's settings (?team=), else the personal team's. */
export const load: PageServerLoad = (event) => {
  requireUser(event);
  const { teams } = event.locals;
  const wanted = event.url.searchParams.get('team');
  const team = teams.find((t) => t.id === wanted) ?? teams.find((t) => t.personal) ?? teams[0];
  redirect(303, team ? `/teams/${team.id}/integrations` : '/teams');
};
