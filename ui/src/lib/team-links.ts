/** Links of the header's team menu (pure: no Svelte, so the unit tests import it). */

const TEAM_SECTION = /^\/teams\/[^/]+(?:\/([^/]+))?/;

/**
 * Where picking `teamId` in the switcher leads from `url`: the same section of that team on a team page
 * (its list, since an item of one team does not exist in another), else the same page for that team.
 */
export function switchTeamHref(url: URL, teamId: string): string {
  const match = TEAM_SECTION.exec(url.pathname);
  const id = encodeURIComponent(teamId);
  if (match) return match[1] ? `/teams/${id}/${match[1]}` : `/teams/${id}`;
  const query = new URLSearchParams(url.searchParams);
  query.set('team', teamId);
  // One team's platform check (operations page) means nothing in another team.
  query.delete('check');
  return `${url.pathname}?${query.toString()}`;
}
