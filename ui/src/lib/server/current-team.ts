import { error, redirect } from '@sveltejs/kit';
import type { TeamMembership } from '$api/auth';
import { requireUser } from './guard';

type Event = { locals: App.Locals; url: URL; params: Partial<Record<string, string>> };

/** The team a top-level link means: ?team= if the user is in it, else the personal team, else the first. */
export function pickTeam(locals: App.Locals, wanted: string | null): TeamMembership | null {
  const { teams } = locals;
  return teams.find((t) => t.id === wanted) ?? teams.find((t) => t.personal) ?? teams[0] ?? null;
}

/** Loads for /campaigns, /content, /runs: open that section of the chosen team (like /settings does). */
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
