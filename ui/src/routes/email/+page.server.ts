import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Email" link: the chosen team's (?team=) or the personal team's contacts. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'contacts');
