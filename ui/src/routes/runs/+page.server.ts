import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Runs" link: the chosen team's (?team=, else the team last chosen) runs. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'runs');
