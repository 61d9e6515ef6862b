import type { Knex } from 'knex';
import {
  acquireRunSlot,
  automationExists,
  insertAutomationRun,
  releaseRunSlot,
  setAutomationRunId,
  updateAutomationRunStatus,
} from '../data/automation-runs';
import { parseDuration } from '../lib/automations/durations';
import { ExpressionError } from '../lib/automations/expression-error';
import { evaluateCondition, evaluateTemplate, type ExpressionScope } from '../lib/automations/expressions';
import type { Step } from '../lib/automations/steps';
import { listenedEvents } from '../lib/automations/walk';
import type { Config } from '../lib/config';
import type {
  AutomationRunInput,
  BufferedEvent,
  RunStatus,
  StepError,
} from '../workflows/contracts/automation-run';
import { expressionFailure, resolveScope } from './automation-scope';

/**
 * What a value expression must give: `any` as it is, `list` an array, `duration` a duration text such as 15m
 * (in milliseconds), `date` an ISO date-time (in epoch milliseconds), `condition` true or false.
 */
type ExpressionKind = 'any' | 'list' | 'duration' | 'date' | 'condition';

export interface ExpressionItem {
  /** The JSON path of the field, named in errors (`config.items`). */
  field: string;
  template: string;
  kind: ExpressionKind;
}

function typed(item: ExpressionItem, scope: ExpressionScope): unknown {
  if (item.kind === 'condition') return evaluateCondition(item.template, scope);
  // A list is an expression, bare (`trigger.items`) or in {{ }}, as validation reads it.
  const text = item.template.trim();
  const template = item.kind === 'list' && !text.startsWith('{{') ? `{{ ${text} }}` : item.template;
  const value = evaluateTemplate(template, scope);
  switch (item.kind) {
    case 'list':
      if (!Array.isArray(value)) {
        throw new ExpressionError(`gave ${JSON.stringify(value)?.slice(0, 80)}, not a list`);
      }
      return value;
    case 'duration': {
      const ms = typeof value === 'string' ? parseDuration(value) : undefined;
      if (ms === undefined)
        throw new ExpressionError(`gave ${JSON.stringify(value)}, not a duration such as 15m`);
      return ms;
    }
    case 'date': {
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) {
        throw new ExpressionError(
          `gave ${JSON.stringify(value)}, not a date-time such as 2027-01-31T09:00:00Z`,
        );
      }
      return ms;
    }
    default:
      return value;
  }
}

/** Facts a run records about itself in the database. */
interface RunRecord {
  workflowId: string;
  runId: string;
  run: {
    automationId: string;
    teamId: string;
    versionId: string;
    version: number;
    triggerSource: AutomationRunInput['trigger']['source'];
    triggerKey: string;
    /** Sent with the first record of an execution only: what the row needs if it must be inserted. */
    payload?: unknown;
    steps?: AutomationRunInput['definition']['steps'];
  };
  status: RunStatus;
  currentStep: string | null;
  error?: (StepError & { step?: string }) | null;
}

/** The interpreter's own activities: expressions for steering, concurrency slots and the run's row. */
export function createAutomationRunActivities(deps: { db: Knex; config: Config }) {
  const { db, config } = deps;
  return {
    /** Values for steering (conditions, lists, durations, dates); an expression problem names its field. */
    async evaluateAutomationExpressions(a: {
      teamId: string;
      scope: ExpressionScope;
      items: ExpressionItem[];
    }): Promise<unknown[]> {
      const scope = await resolveScope(db, a.teamId, a.scope);
      return a.items.map((item) => {
        try {
          return typed(item, scope);
        } catch (error) {
          if (error instanceof ExpressionError) throw expressionFailure(error, item.field);
          throw error;
        }
      });
    },

    /** The index of the first event whose payload matches (`event` in the scope), or -1. */
    async firstMatchingEvent(a: {
      teamId: string;
      scope: ExpressionScope;
      match: string;
      field: string;
      events: BufferedEvent[];
    }): Promise<number> {
      const scope = await resolveScope(db, a.teamId, a.scope);
      for (let i = 0; i < a.events.length; i++) {
        const event = a.events[i]!;
        try {
          const withEvent = { ...scope, event: event.payload } as ExpressionScope;
          if (evaluateCondition(a.match, withEvent)) return i;
        } catch (error) {
          if (error instanceof ExpressionError) throw expressionFailure(error, a.field);
          throw error;
        }
      }
      return -1;
    },

    /** Takes a slot of the automation (max_runs) and of the team (AUTOMATION_RUNS_PER_TEAM), if one is free. */
    async acquireAutomationSlot(a: {
      workflowId: string;
      automationId: string;
      teamId: string;
      maxRuns: number | null;
    }): Promise<{ acquired: boolean; reason?: 'automation' | 'team' }> {
      return acquireRunSlot(db, {
        workflowId: a.workflowId,
        automationId: a.automationId,
        teamId: a.teamId,
        maxRuns: a.maxRuns ?? Number.MAX_SAFE_INTEGER,
        teamMax: config.automations.runsPerTeam,
      });
    },

    async releaseAutomationSlot(a: { workflowId: string }): Promise<void> {
      await releaseRunSlot(db, a.workflowId);
    },

    /**
     * Records where the run is. Runs started by a Temporal Schedule were not recorded by a starter: the first call
     * inserts their row.
     */
    async recordAutomationRun(r: RunRecord): Promise<void> {
      const { run } = r;
      // The first record of an execution: the row may be missing (Schedule-started runs) and the run id unset.
      // Later records only update the row (a row deleted with its automation, `runs=keep`, is simply not there).
      if (run.steps) {
        if (!(await automationExists(db, run.automationId))) return;
        await insertAutomationRun(db, {
          workflowId: r.workflowId,
          automationId: run.automationId,
          teamId: run.teamId,
          versionId: run.versionId,
          version: run.version,
          triggerSource: run.triggerSource,
          triggerKey: run.triggerKey,
          payload: run.payload,
          listensFor: listenedEvents(run.steps as unknown as Step[]),
        });
        await setAutomationRunId(db, r.workflowId, r.runId);
      }
      await updateAutomationRunStatus(db, {
        workflowId: r.workflowId,
        status: r.status,
        currentStep: r.currentStep,
        error: r.error ?? null,
      });
    },
  };
}

export type AutomationRunActivities = ReturnType<typeof createAutomationRunActivities>;
