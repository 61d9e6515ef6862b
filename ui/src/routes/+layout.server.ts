import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
  // Read per navigation: the chosen team follows the URL (/teams/{id}/..., ?team=), so the header must too.
  path: url.pathname + url.search,
  user: locals.user,
  teams: locals.teams,
  currentTeam: locals.currentTeam,
  theme: locals.theme,
  timeZone: locals.timeZone,
});
