import type { Knex } from 'knex';
import { AppError, conflict, forbidden } from '../../lib/errors';
import type { TeamMembership } from '../http/locals';
import {
  deleteMember,
  findMember,
  insertMember,
  listMembers,
  lockOwnerIds,
  updateMemberRole,
  type MemberRow,
} from '../../data/members';
import { isUniqueViolation } from '../../data/pg-errors';
import { findTeam, insertTeam, listTeamsForUser, updateTeam } from '../../data/teams';
import { findUserByEmail } from '../../data/users';
import { roleAtLeast, type Role } from '../../lib/roles';
import { inTransaction } from '../../data/transaction';

const memberNotFound = () => new AppError(404, 'member_not_found', 'Member not found');
const lastOwner = () =>
  conflict('A team needs at least one owner; make someone else owner first', 'last_owner');
const ownersOnly = () => forbidden('Only an owner can grant, change or remove the owner role');

export function createTeamService(deps: { db: Knex }) {
  const { db } = deps;

  async function teamWithRole(teamId: string, role: Role) {
    const team = await findTeam(db, teamId);
    if (!team) throw new AppError(404, 'team_not_found', 'Team not found');
    return { ...team, role };
  }

  return {
    listTeams: (userId: string) => listTeamsForUser(db, userId),

    createTeam(userId: string, name: string) {
      return inTransaction(db, async (trx) => {
        const team = await insertTeam(trx, { name, personal: false, createdBy: userId });
        await insertMember(trx, team.id, userId, 'owner');
        return { ...team, role: 'owner' as const };
      });
    },

    getTeam: (m: TeamMembership) => teamWithRole(m.teamId, m.role),

    async updateTeam(m: TeamMembership, changes: { name?: string; timeZone?: string }) {
      await updateTeam(db, m.teamId, changes);
      return teamWithRole(m.teamId, m.role);
    },

    listMembers: (m: TeamMembership) => listMembers(db, m.teamId),

    async addMember(m: TeamMembership, email: string, role: Role): Promise<MemberRow> {
      if (role === 'owner' && m.role !== 'owner') throw ownersOnly();
      const user = await findUserByEmail(db, email);
      if (!user) {
        throw new AppError(422, 'user_not_found', 'No account uses this email; ask them to register first', [
          { path: 'email', message: 'No account uses this email' },
        ]);
      }
      const alreadyMember = () =>
        conflict('This person is already a member', 'already_member', [
          { path: 'email', message: 'Already a member' },
        ]);
      if (await findMember(db, m.teamId, user.id)) throw alreadyMember();
      try {
        await insertMember(db, m.teamId, user.id, role);
      } catch (err) {
        if (isUniqueViolation(err)) throw alreadyMember(); // lost a race with a concurrent add
        throw err;
      }
      const member = await findMember(db, m.teamId, user.id);
      if (!member) throw memberNotFound();
      return member;
    },

    /** Owner changes need an owner; demoting the last owner is refused (owner rows locked meanwhile). */
    changeRole(m: TeamMembership, userId: string, role: Role): Promise<MemberRow> {
      return inTransaction(db, async (trx) => {
        const owners = await lockOwnerIds(trx, m.teamId);
        const target = await findMember(trx, m.teamId, userId);
        if (!target) throw memberNotFound();
        if ((target.role === 'owner' || role === 'owner') && m.role !== 'owner') throw ownersOnly();
        if (target.role === 'owner' && role !== 'owner' && owners.length <= 1) throw lastOwner();
        await updateMemberRole(trx, m.teamId, userId, role);
        return { ...target, role };
      });
    },

    /** Admins remove others; anyone may leave; only owners remove owners; the last owner cannot go. */
    removeMember(m: TeamMembership, actorId: string, userId: string): Promise<void> {
      const leaving = actorId === userId;
      if (!leaving && !roleAtLeast(m.role, 'admin'))
        throw forbidden('This needs the admin role or higher in this team');
      return inTransaction(db, async (trx) => {
        const owners = await lockOwnerIds(trx, m.teamId);
        const target = await findMember(trx, m.teamId, userId);
        if (!target) throw memberNotFound();
        if (target.role === 'owner' && !leaving && m.role !== 'owner') throw ownersOnly();
        if (target.role === 'owner' && owners.length <= 1) throw lastOwner();
        await deleteMember(trx, m.teamId, userId);
      });
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
