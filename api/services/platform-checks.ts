import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { AppError, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { startPlatformCheck } from '../../temporal/starts';
import { PLATFORM_CHECK_WORKFLOW, platformCheckWorkflowId } from '../../workflows/contracts/platform-check';
import {
  findCheck,
  insertPendingCheck,
  listChecks,
  markCheckFailed,
  type PlatformCheckRow,
} from '../../data/platform-checks';
import type { TeamMembership } from '../http/locals';
import type { ApiMetrics } from '../http/metrics';

const LIST_LIMIT = 20;

const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

export function createPlatformCheckService(deps: {
  db: Knex;
  config: Config;
  logger: Logger;
  metrics: ApiMetrics;
  temporal: { client: Client } | null;
}) {
  const { db, config } = deps;

  const temporalUrl = (workflowId: string) =>
    `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;

  const view = (check: PlatformCheckRow) => ({ check, temporalUrl: temporalUrl(check.workflowId) });

  return {
    temporalUrl,

    /** Inserts the pending row first so the worker's activity always has a row to complete. */
    async start(m: TeamMembership, requestedBy: string) {
      const temporal = deps.temporal;
      if (!temporal) throw temporalUnavailable();
      const id = randomUUID();
      const workflowId = platformCheckWorkflowId(id);
      const check = await insertPendingCheck(db, { id, teamId: m.teamId, requestedBy, workflowId });
      try {
        // The shared starter sets queue `priority`, search attributes (TeamId, UserId, TriggerSource=api) and summary.
        await startPlatformCheck(temporal.client, { checkId: id, teamId: m.teamId, requestedBy });
      } catch (err) {
        deps.logger.warn({ err, workflowId }, 'could not start platform check workflow');
        await markCheckFailed(db, id, 'workflow could not be started');
        throw temporalUnavailable();
      }
      deps.metrics.workflowStarts.inc({ workflow: PLATFORM_CHECK_WORKFLOW });
      return view(check);
    },

    list: async (m: TeamMembership) => ({ checks: await listChecks(db, m.teamId, LIST_LIMIT) }),

    async get(m: TeamMembership, checkId: string) {
      const check = await findCheck(db, m.teamId, checkId);
      if (!check) throw new AppError(404, 'check_not_found', 'Platform check not found');
      return view(check);
    },
  };
}

export type PlatformCheckService = ReturnType<typeof createPlatformCheckService>;
