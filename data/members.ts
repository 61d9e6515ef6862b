import type { Knex } from 'knex';
import type { Model, QueryBuilder } from 'objection';
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

/** The caller's membership in one team (with the team's name), or undefined. Runs on every team request. */
export async function findMembership(
  db: Db,
  teamId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  const row = await db('team_members as m')
    .join('teams as t', 't.id', 'm.team_id')
    .where({ 'm.team_id': teamId, 'm.user_id': userId })
    .first<{ teamId: string; teamName: string; personal: boolean; role: Role } | undefined>(
      'm.team_id as teamId',
      't.name as teamName',
      't.personal as personal',
      'm.role as role',
    );
  return row;
}

/** Members with only the user's public fields (never the password hash), the user joined in one query. */
const membersWithPublicUser = (db: Db) =>
  TeamMember.query(db)
    .select('team_members.user_id', 'team_members.role', 'team_members.created_at')
    .withGraphJoined('user(publicFields)')
    .modifiers({
      publicFields: (q: QueryBuilder<Model>) => {
        void q.select('email', 'name');
      },
    });

/** The team's members with their name and address, longest-standing first. */
export async function listMembers(db: Db, teamId: string): Promise<MemberRow[]> {
  const members = await membersWithPublicUser(db)
    .where('team_members.team_id', teamId)
    .orderBy([{ column: 'team_members.created_at' }, { column: 'user.email' }]);
  return members.map(toMember);
}

/** Looked up WITH the team id: a user of another team is simply not found here. */
export async function findMember(db: Db, teamId: string, userId: string): Promise<MemberRow | undefined> {
  const [m] = await membersWithPublicUser(db).where({
    'team_members.team_id': teamId,
    'team_members.user_id': userId,
  });
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
