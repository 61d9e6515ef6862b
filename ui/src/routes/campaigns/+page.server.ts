import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Campaigns" link: the chosen team's (?team=, else the team last chosen) campaigns. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'campaigns');
