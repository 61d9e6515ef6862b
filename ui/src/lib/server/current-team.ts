import { error, redirect, type Cookies } from '@sveltejs/kit';
import type { TeamMembership } from '$api/auth';
import { requireUser } from './guard';

type Event = { locals: App.Locals; url: URL; params: Partial<Record<string, string>> };

/** Remembers the team the user last chose or opened, across pages and browser tabs. */
const TEAM_COOKIE = 'hf_team';

const TEAM_PATH = /^\/teams\/([^/]+)(?:\/|$)/;

/**
 * The team a top-level link means: `wanted` (?team=) if the user is in it, else the chosen team (cookie),
 * else the personal team, else the first. A team the user left or cannot see never counts.
 */
export function pickTeam(
  locals: Pick<App.Locals, 'teams'> & Partial<Pick<App.Locals, 'currentTeam'>>,
  wanted: string | null,
): TeamMembership | null {
  const { teams } = locals;
  const chosen = locals.currentTeam?.id;
  return (
    teams.find((t) => t.id === wanted) ??
    teams.find((t) => t.id === chosen) ??
    teams.find((t) => t.personal) ??
    teams[0] ??
    null
  );
}

/**
 * Run once per request by the hooks, after the session: the chosen team is the one in the URL
 * (/teams/{id}/... or ?team=) when the user belongs to it, else the one in the cookie. The cookie follows.
 */
export function chooseTeam(cookies: Cookies, url: URL, teams: TeamMembership[]): TeamMembership | null {
  const inPath = TEAM_PATH.exec(url.pathname)?.[1] ?? null;
  const fromUrl =
    teams.find((t) => t.id === inPath) ?? teams.find((t) => t.id === url.searchParams.get('team'));
  const remembered = cookies.get(TEAM_COOKIE) ?? null;
  const team = fromUrl ?? pickTeam({ teams, currentTeam: teams.find((t) => t.id === remembered) }, null);
  if (team && team.id !== remembered) {
    cookies.set(TEAM_COOKIE, team.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  return team;
}

/** Loads for /campaigns, /content, /automations, /runs, /email, /settings: open that section of the chosen team. */
export function redirectToTeamSection(event: Event, section: string): never {
  requireUser(event);
  const team = pickTeam(event.locals, event.url.searchParams.get('team'));
  if (!team) redirect(303, '/teams');
  const query = new URLSearchParams(event.url.searchParams);
  query.delete('team');
  const qs = query.toString();
  redirect(303, `/teams/${team.id}/${section}${qs ? `?${qs}` : ''}`);
}

/** The team in the URL, which the user must belong to (the API would 404 anyway; this gives a clear page). */
export function requireTeam(event: Event): TeamMembership {
  requireUser(event);
  const team = event.locals.teams.find((t) => t.id === event.params.teamId);
  if (!team) error(404, { message: 'No such team, or you are not a member of it.' });
  return team;
}

/** Path prefix of the team's API routes. */
export function teamPath(teamId: string): string {
  return `/teams/${encodeURIComponent(teamId)}`;
}
