import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { usableZone } from '../../lib/time-zones';
import { AppError, serviceUnavailable } from '../../lib/errors';
import { startTeamInsights } from '../../temporal/starts';
import { teamInsightsWorkflowId, type TeamInsightsInput } from '../../workflows/contracts/insights';
import { findTeam } from '../../data/teams';
import {
  findInsightsEmailSetting,
  listInsights,
  setInsightsEmailSetting,
  type InsightRow,
} from '../../data/insights';
import type { TeamMembership } from '../http/locals';

const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');
const memberNotFound = () => new AppError(404, 'member_not_found', 'You are not a member of this team');

export interface InsightServiceDeps {
  db: Knex;
  temporal: { client: Client } | null;
}

export function createInsightService({ db, temporal }: InsightServiceDeps) {
  return {
    async latest(m: TeamMembership): Promise<{ insight: InsightRow | null }> {
      const [insight] = await listInsights(db, m.teamId, 1);
      return { insight: insight ?? null };
    },

    async list(m: TeamMembership, limit: number): Promise<{ insights: InsightRow[] }> {
      return { insights: await listInsights(db, m.teamId, limit) };
    },

    /**
     * Runs the team's insight now for `day` (default: the team's yesterday). A run already going for that day
     * is joined; a finished one runs again (the insight is replaced, emails already sent are not resent).
     */
    async run(m: TeamMembership, day: string | undefined): Promise<{ workflowId: string; day: string }> {
      const team = await findTeam(db, m.teamId);
      if (!team) throw new AppError(404, 'team_not_found', 'Team not found');
      const today = DateTime.now().setZone(usableZone(team.timeZone)).toISODate()!;
      const target = day ?? DateTime.fromISO(today).minus({ days: 1 }).toISODate()!;
      if (target > today) {
        throw new AppError(400, 'validation_failed', 'That day has not happened yet', [
          { path: 'day', message: `Pick ${today} or earlier (the team's time zone is ${team.timeZone})` },
        ]);
      }
      if (!temporal) throw temporalUnavailable();
      const input: TeamInsightsInput = { teamId: m.teamId, day: target, triggerSource: 'manual' };
      const workflowId = teamInsightsWorkflowId(m.teamId, target);
      await startTeamInsights(temporal.client, input);
      return { workflowId, day: target };
    },

    async getEmailSetting(
      m: TeamMembership,
      userId: string,
    ): Promise<{ insightsEmail: { enabled: boolean } }> {
      const enabled = await findInsightsEmailSetting(db, m.teamId, userId);
      if (enabled === undefined) throw memberNotFound();
      return { insightsEmail: { enabled } };
    },

    async setEmailSetting(
      m: TeamMembership,
      userId: string,
      enabled: boolean,
    ): Promise<{ insightsEmail: { enabled: boolean } }> {
      if (!(await setInsightsEmailSetting(db, m.teamId, userId, enabled))) throw memberNotFound();
      return { insightsEmail: { enabled } };
    },
  };
}

export type InsightService = ReturnType<typeof createInsightService>;
