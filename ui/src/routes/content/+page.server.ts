import { redirectToTeamSection } from '$lib/server/current-team';
import type { PageServerLoad } from './$types';

/** The nav's "Content" link: the chosen team's (?team=) or the personal team's content. */
export const load: PageServerLoad = (event) => redirectToTeamSection(event, 'content');
