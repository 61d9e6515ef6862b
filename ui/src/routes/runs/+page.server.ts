import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Runs" link: the chosen team's (?team=) or the personal team's runs. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'runs');
