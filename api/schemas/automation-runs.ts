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
  q: z.string().trim().max(200).optional().openapi({
    description:
      "Text in the automation's name, the run's id, its trigger key or its trigger payload (case-insensitive; % and _ match themselves)",
  }),
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
    automationName: z
      .string()
      .nullable()
      .openapi({ description: "The automation's name now (null once it is deleted)" }),
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

// The interpreter's step timeline (workflows/contracts/automation-run.ts, AutomationRunState) as read by query.
const stepErrorSchema = z
  .object({
    message: z.string(),
    type: z.string().optional(),
    path: z.string().optional().openapi({ description: 'The expression path at fault' }),
    retryable: z.boolean().optional(),
  })
  .openapi('AutomationStepError');

const stepWaitSchema = z
  .object({
    kind: z.enum(['timer', 'approval', 'event', 'slot', 'content_review']),
    until: timestamp.optional().openapi({ description: 'When the wait ends at the latest' }),
    event: z.string().optional().openapi({ description: 'Platform event type or signal:<name>' }),
    approvers: z.object({ roles: z.array(z.string()), userIds: z.array(z.string()) }).optional(),
    message: z.string().optional(),
  })
  .openapi('AutomationStepWait');

const stepStateSchema = z
  .object({
    key: z.string().openapi({ description: 'Its id, or <for_each id>[<index>].<id> inside an iteration' }),
    id: z.string(),
    name: z.string(),
    type: z.string(),
    status: z.enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped']),
    startedAt: timestamp.optional(),
    endedAt: timestamp.optional(),
    attempts: z.number().int(),
    output: z.unknown().optional(),
    error: stepErrorSchema.optional(),
    wait: stepWaitSchema.optional(),
    reused: z.boolean().optional().openapi({ description: 'The output came from the run this one resumed' }),
  })
  .openapi('AutomationStepState');

const runStateSchema = z
  .object({
    status: runStatusSchema,
    automationId: uuid,
    versionId: uuid,
    version: z.number().int(),
    startedAt: timestamp,
    endedAt: timestamp.optional(),
    order: z.array(z.string()).openapi({ description: 'Step keys in the order they started' }),
    steps: z.record(z.string(), stepStateSchema),
    vars: z.record(z.string(), z.unknown()),
    currentStep: z.string().nullable(),
    error: stepErrorSchema.extend({ step: z.string().optional() }).optional(),
    pendingEvents: z.number().int(),
  })
  .openapi('AutomationRunState');

const retryStateSchema = z
  .object({
    attempt: z
      .number()
      .int()
      .openapi({ description: 'The attempt running now or next (2 = the first retry)' }),
    maxAttempts: z.number().int().nullable().openapi({ description: 'null: no limit' }),
    nextAttemptAt: timestamp
      .nullable()
      .openapi({ description: 'When the next attempt starts (null: running now)' }),
    lastFailure: z.string().nullable().openapi({ description: 'The last attempt failure message' }),
    lastAttemptAt: timestamp.nullable(),
  })
  .openapi('AutomationStepRetry');

export const automationRunResponse = z.object({
  run: runSchema.extend({
    payload: z.unknown(),
    state: runStateSchema.nullable().openapi({
      description: 'The step timeline from the workflow (runStateQuery); null when it cannot be read',
    }),
    stateError: z.string().nullable().openapi({ description: 'Why the state could not be read' }),
    retrying: z.record(z.string(), retryStateSchema).openapi({
      description:
        "Steps Temporal is retrying now, by step key, from the workflow's pending activities (empty when none)",
    }),
  }),
});

export const decisionResponse = z.object({ state: runStateSchema });
export const cancelResponse = z.object({ workflowId: z.string(), cancelRequested: z.literal(true) });
export const signalResponse = z.object({ workflowId: z.string(), signal: z.string(), id: uuid });

// Response shapes as TypeScript types: the UI imports these (type-only).
export type AutomationRunStatus = z.output<typeof runStatusSchema>;
export type AutomationRunSummary = z.output<typeof runSchema>;
export type AutomationRunsPage = z.output<typeof automationRunsResponse>;
export type AutomationRunDetail = z.output<typeof automationRunResponse>['run'];
export type AutomationRunStateView = z.output<typeof runStateSchema>;
export type AutomationStepState = z.output<typeof stepStateSchema>;
export type AutomationStepRetry = z.output<typeof retryStateSchema>;
export type AutomationTriggerSource = AutomationRunSummary['triggerSource'];
