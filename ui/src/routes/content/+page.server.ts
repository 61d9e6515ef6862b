import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Content" link: the chosen team's (?team=, else the team last chosen) content. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'content');
