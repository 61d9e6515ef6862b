import { timestamp, uuid } from './common';
import { z } from './zod';

const runStatuses = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;
const runStatusSchema = z.enum(runStatuses).openapi('AutomationRunStatus');

export const automationRunParams = z.object({
  teamId: uuid,
  // Automation run ids hold ':' (auto:<automation id>:<key>): send them URL-encoded.
  workflowId: z.string().min(1).max(1000).openapi({ example: 'auto:7d0c…:manual:4b1e…' }),
});

export const signalParams = automationRunParams.extend({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'A signal name: letters, digits, _ . - (at most 64)')
    .openapi({ example: 'payment_received' }),
});

export const listAutomationRunsQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const list = s.split(',').map((x) => x.trim());
      const unknown = list.filter((x) => !(runStatuses as readonly string[]).includes(x));
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `Statuses are ${runStatuses.join(', ')} (comma-separated)` });
        return z.NEVER;
      }
      return list as (typeof runStatuses)[number][];
    })
    .openapi({ type: 'string', description: `One or more of ${runStatuses.join(', ')}, comma-separated` }),
  automation_id: uuid.optional(),
  before: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected the nextBefore of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const automationRunsOfOneQuery = listAutomationRunsQuery.omit({ automation_id: true });

export const decisionBody = z
  .strictObject({
    step: z.string().min(1).max(500).openapi({ description: "The wait_for_approval step's key" }),
    decision: z.enum(['approve', 'reject']),
    note: z.string().max(2000).optional(),
  })
  .openapi('AutomationDecisionBody');

export const signalBody = z.strictObject({ payload: z.unknown().optional() }).openapi('AutomationSignalBody');

const runSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string().nullable(),
    automationId: uuid,
    versionId: uuid,
    version: z.number().int().openapi({ description: 'The version the run is pinned to' }),
    triggerSource: z.enum(['webhook', 'schedule', 'clickbank', 'event', 'manual', 'rerun', 'resume']),
    triggerKey: z.string(),
    status: runStatusSchema,
    currentStep: z.string().nullable(),
    error: z.unknown().nullable(),
    resumedFrom: z.string().nullable(),
    startedBy: uuid.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    endedAt: timestamp.nullable(),
  })
  .openapi('AutomationRun');

export const automationRunsResponse = z.object({
  runs: z.array(runSchema),
  nextBefore: z.string().nullable().openapi({ description: 'Pass as before for the next page' }),
});

export const automationRunResponse = z.object({
  run: runSchema.extend({
    payload: z.unknown(),
    state: z.unknown().nullable().openapi({
      description: 'The step timeline from the workflow (runStateQuery); null when it cannot be read',
    }),
    stateError: z.string().nullable().openapi({ description: 'Why the state could not be read' }),
  }),
});

export const decisionResponse = z.object({ state: z.unknown() });
export const cancelResponse = z.object({ workflowId: z.string(), cancelRequested: z.literal(true) });
export const signalResponse = z.object({ workflowId: z.string(), signal: z.string(), id: uuid });
