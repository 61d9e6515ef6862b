import type { Knex } from 'knex';
import { TeamMember } from '../db/models/team-member';
import type { Role } from '../lib/roles';

type Db = Knex | Knex.Transaction;

export interface MembershipRow {
  teamId: string;
  teamName: string;
  personal: boolean;
  role: Role;
}

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
}

const toMember = (m: TeamMember): MemberRow => ({
  userId: m.user_id,
  email: m.user!.email,
  name: m.user!.name,
  role: m.role,
  joinedAt: m.created_at,
});

/** The caller's membership in one team (with the team's name), or undefined. */
export async function findMembership(
  db: Db,
  teamId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  const m = await TeamMember.query(db)
    .findOne({ 'team_members.team_id': teamId, 'team_members.user_id': userId })
    .withGraphJoined('team');
  return m && { teamId: m.team_id, teamName: m.team!.name, personal: m.team!.personal, role: m.role };
}

/** The team's members with their name and address, longest-standing first. */
export async function listMembers(db: Db, teamId: string): Promise<MemberRow[]> {
  const members = await TeamMember.query(db)
    .where('team_members.team_id', teamId)
    .withGraphJoined('user')
    .orderBy([{ column: 'team_members.created_at' }, { column: 'user.email' }]);
  return members.map(toMember);
}

/** Looked up WITH the team id: a user of another team is simply not found here. */
export async function findMember(db: Db, teamId: string, userId: string): Promise<MemberRow | undefined> {
  const m = await TeamMember.query(db)
    .findOne({ 'team_members.team_id': teamId, 'team_members.user_id': userId })
    .withGraphJoined('user');
  return m && toMember(m);
}

export async function insertMember(db: Db, teamId: string, userId: string, role: Role): Promise<void> {
  await db('team_members').insert({ team_id: teamId, user_id: userId, role });
}

export async function updateMemberRole(db: Db, teamId: string, userId: string, role: Role): Promise<void> {
  await db('team_members')
    .where({ team_id: teamId, user_id: userId })
    .update({ role, updated_at: db.fn.now() });
}

export async function deleteMember(db: Db, teamId: string, userId: string): Promise<void> {
  await db('team_members').where({ team_id: teamId, user_id: userId }).delete();
}

/** Locks the team's owner rows so two concurrent demotions cannot both pass the last-owner check. */
export async function lockOwnerIds(trx: Knex.Transaction, teamId: string): Promise<string[]> {
  const rows = await trx('team_members')
    .where({ team_id: teamId, role: 'owner' })
    .forUpdate()
    .select<{ user_id: string }[]>('user_id');
  return rows.map((r) => r.user_id);
}

/** The team's owners and admins (who are told about refunds, chargebacks and other team-wide events). */
export function listOwnersAndAdmins(db: Db, teamId: string): Promise<{ userId: string; email: string }[]> {
  return db('team_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', teamId)
    .whereIn('m.role', ['owner', 'admin'])
    .orderBy('u.email')
    .select<{ userId: string; email: string }[]>('u.id as userId', 'u.email');
}

export async function countMembers(db: Db, teamId: string): Promise<number> {
  const rows = await db('team_members').where({ team_id: teamId }).count<{ count: string }[]>({ count: '*' });
  return Number(rows[0]?.count ?? 0);
}
