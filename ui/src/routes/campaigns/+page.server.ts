import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Campaigns" link: the chosen team's (?team=) or the personal team's campaigns. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'campaigns');
