import type { Knex } from 'knex';
import type { Role } from '../lib/roles';

type Db = Knex | Knex.Transaction;

export interface TeamRow {
  id: string;
  name: string;
  personal: boolean;
  timeZone: string;
  createdAt: Date;
}

export type TeamWithRole = TeamRow & { role: Role };

const columns = [
  't.id as id',
  't.name as name',
  't.personal as personal',
  't.time_zone as timeZone',
  't.created_at as createdAt',
];

export async function insertTeam(
  db: Db,
  team: { name: string; personal: boolean; createdBy: string },
): Promise<TeamRow> {
  const rows = await db('teams as t')
    .insert({ name: team.name, personal: team.personal, created_by: team.createdBy })
    .returning<TeamRow[]>(['id', 'name', 'personal', 'time_zone as timeZone', 'created_at as createdAt']);
  const row = rows[0];
  if (!row) throw new Error('team insert returned no row');
  return row;
}

export function listTeamsForUser(db: Db, userId: string): Promise<TeamWithRole[]> {
  return db('teams as t')
    .join('team_members as m', 'm.team_id', 't.id')
    .where('m.user_id', userId)
    .orderBy([{ column: 't.personal', order: 'desc' }, { column: 't.created_at' }])
    .select<TeamWithRole[]>([...columns, 'm.role as role']);
}

export function findTeam(db: Db, teamId: string): Promise<TeamRow | undefined> {
  return db('teams as t').where('t.id', teamId).first<TeamRow | undefined>(columns);
}

export async function updateTeam(
  db: Db,
  teamId: string,
  changes: { name?: string; timeZone?: string },
): Promise<void> {
  const patch: Record<string, unknown> = { updated_at: db.fn.now() };
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.timeZone !== undefined) patch.time_zone = changes.timeZone;
  await db('teams').where({ id: teamId }).update(patch);
}

/** The team's stored time zone (not checked: a bad value is the caller's to handle), or undefined. */
export async function findTeamTimeZone(db: Db, teamId: string): Promise<string | undefined> {
  const team = await db('teams').where({ id: teamId }).first<{ time_zone: string } | undefined>('time_zone');
  return team?.time_zone;
}

/** Every time zone some team is in, once each. */
export function listTeamTimeZones(db: Db): Promise<string[]> {
  return db('teams').distinct('time_zone').pluck<string[]>('time_zone');
}

/** The teams in these time zones, by id. */
export async function listTeamsInTimeZones(
  db: Db,
  timeZones: string[],
): Promise<{ id: string; timeZone: string }[]> {
  const teams = await db('teams')
    .whereIn('time_zone', timeZones)
    .orderBy('id')
    .select<{ id: string; time_zone: string }[]>('id', 'time_zone');
  return teams.map((t) => ({ id: t.id, timeZone: t.time_zone }));
}

/** True when the team exists (a claim in outside metadata is checked against it). */
export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  const row = await db('teams').where({ id: teamId }).first<{ id: string } | undefined>('id');
  return row !== undefined;
}
