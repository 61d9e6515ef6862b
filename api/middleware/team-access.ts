import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { AppError, forbidden } from '../../lib/errors';
import { findMembership } from '../../data/members';
import { roleAtLeast, type Role } from '../../lib/roles';
import '../http/locals';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const teamNotFound = () => new AppError(404, 'team_not_found', 'Team not found');

/**
 * Tenancy gate for /teams/:teamId/...: a caller who is not a member sees 404 (the team's existence is not
 * revealed); a member below minRole gets 403. Leaves the membership on res.locals.membership.
 */
export function teamAccess(db: Knex, minRole: Role): RequestHandler {
  return async (req, res, next) => {
    const teamId = req.params.teamId;
    const userId = res.locals.auth?.userId;
    if (typeof teamId !== 'string' || !uuidPattern.test(teamId) || !userId) throw teamNotFound();
    const membership = await findMembership(db, teamId, userId);
    if (!membership) throw teamNotFound();
    if (!roleAtLeast(membership.role, minRole)) {
      throw forbidden(`This needs the ${minRole} role or higher in this team`);
    }
    res.locals.membership = membership;
    next();
  };
}
