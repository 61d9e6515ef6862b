import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Integrations" link: the chosen team's integrations (?team=, else the team last chosen). */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'integrations');
