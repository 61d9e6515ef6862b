import os from 'node:os';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { PlatformCheckInput, PlatformCheckResult } from '../workflows/contracts/platform-check';
import { countMembers } from '../data/members';
import {
  completeCheck,
  countPendingChecks,
  markPendingCheckFailed,
  probeDatabaseServer,
} from '../data/platform-checks';

export interface PlatformCheckActivityDeps {
  db: Knex;
  /** Identity of the worker running these activities; defaults to the SDK's own default (pid@host). */
  workerIdentity?: string;
}

export type RunPlatformCheckInput = PlatformCheckInput & { workflowId: string };
export interface MarkPlatformCheckFailedInput {
  checkId: string;
  teamId: string;
  reason: string;
}

/** Failure types the workflow and callers can match on. */
const PlatformCheckFailure = {
  notFound: 'PlatformCheckNotFound',
  invalidInput: 'PlatformCheckInvalidInput',
} as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const defaultWorkerIdentity = (): string => `${process.pid}@${os.hostname()}`;

export function createPlatformCheckActivities({
  db,
  workerIdentity = defaultWorkerIdentity(),
}: PlatformCheckActivityDeps) {
  return {
    /** Runs a few real queries from the worker and records them on the check's row (which the API inserted). */
    async runPlatformCheck(input: RunPlatformCheckInput): Promise<PlatformCheckResult> {
      assertIds(input);
      const { info, log } = Context.current();

      const started = performance.now();
      const server = await probeDatabaseServer(db);
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      if (!server) throw new Error('SELECT now() returned no row');

      const [memberCount, pendingChecks] = await Promise.all([
        countMembers(db, input.teamId),
        countPendingChecks(db, input.teamId),
      ]);

      const result: PlatformCheckResult = {
        checkId: input.checkId,
        teamId: input.teamId,
        workflowId: input.workflowId,
        database: {
          serverTime: new Date(server.server_time).toISOString(),
          version: server.version,
          latencyMs,
        },
        team: { memberCount },
        pendingChecks,
        worker: { identity: workerIdentity, taskQueue: info.taskQueue, attempt: info.attempt },
      };

      const updated = await completeCheck(db, {
        teamId: input.teamId,
        checkId: input.checkId,
        result,
        workerIdentity,
      });
      if (!updated) {
        // Retrying cannot make the row appear: fail the workflow now instead of burning attempts.
        throw ApplicationFailure.nonRetryable(
          `platform check ${input.checkId} does not exist for team ${input.teamId}`,
          PlatformCheckFailure.notFound,
        );
      }
      log.info('platform check completed', { checkId: input.checkId, teamId: input.teamId });
      return result;
    },

    /** Leaves a failed check visibly failed instead of pending forever; only touches rows still pending. */
    async markPlatformCheckFailed(input: MarkPlatformCheckFailedInput): Promise<void> {
      if (!uuidPattern.test(input.checkId) || !uuidPattern.test(input.teamId)) return;
      await markPendingCheckFailed(db, {
        teamId: input.teamId,
        checkId: input.checkId,
        reason: input.reason,
        workerIdentity,
      });
    },
  };
}

export type PlatformCheckActivities = ReturnType<typeof createPlatformCheckActivities>;

function assertIds(input: PlatformCheckInput): void {
  for (const [field, value] of [
    ['checkId', input.checkId],
    ['teamId', input.teamId],
  ] as const) {
    if (!uuidPattern.test(value)) {
      throw ApplicationFailure.nonRetryable(
        `${field} is not a UUID: ${JSON.stringify(value)}`,
        PlatformCheckFailure.invalidInput,
      );
    }
  }
}
