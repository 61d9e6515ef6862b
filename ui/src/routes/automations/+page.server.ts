import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Automations" link: the chosen team's (?team=, else the team last chosen) automations. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'automations');
