import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Email" link: the chosen team's (?team=, else the team last chosen) contacts. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'contacts');
