import { timestamp, uuid } from './common';
import { z } from './zod';

/** Run statuses as the API names them (Temporal's execution statuses in snake case). */
const runStatuses = [
  'running',
  'completed',
  'failed',
  'canceled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;
export type RunStatus = (typeof runStatuses)[number];

const runStatusSchema = z.enum(runStatuses).openapi('RunStatus');

export const runParams = z.object({
  teamId: uuid,
  workflowId: z.string().min(1).max(1000).openapi({ example: 'content:7d0c…' }),
});

export const listRunsQuery = z.object({
  // A workflow type name; the strict alphabet keeps it safe inside the visibility query.
  type: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'Expected a workflow type name such as contentPipelineWorkflow')
    .optional(),
  status: runStatusSchema.optional(),
  cursor: z
    .string()
    .max(4000)
    .regex(/^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?$/, 'Expected the nextCursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const runSummarySchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: runStatusSchema,
    summary: z.string().nullable().openapi({ description: 'The static summary set when the run started' }),
    title: z.string().openapi({
      description: 'What the run does, in plain words (e.g. "Review article for Keto spring push")',
    }),
    waitingFor: z
      .string()
      .nullable()
      .openapi({ description: 'A running run that waits for a person, in words ("Waiting for review")' }),
    startTime: timestamp,
    closeTime: timestamp.nullable(),
    temporalUrl: z.string().openapi({ description: 'This run in Temporal Web' }),
  })
  .openapi('RunSummary');

const timelineStepSchema = z
  .object({
    step: z
      .string()
      .openapi({ description: 'What the step does (its activity summary), else the activity type' }),
    activityType: z.string(),
    status: z.enum(['scheduled', 'running', 'retrying', 'completed', 'failed', 'timed_out', 'canceled']),
    startedAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    attempt: z.number().int(),
    failure: z.string().optional(),
  })
  .openapi('RunTimelineStep');

const runDetailSchema = runSummarySchema
  .extend({
    progress: z
      .unknown()
      .optional()
      .openapi({ description: "The workflow's `progress` query, when it has one" }),
    failure: z.string().optional(),
    timeline: z.array(timelineStepSchema),
  })
  .openapi('RunDetail');

export const runsResponse = z.object({ runs: z.array(runSummarySchema), nextCursor: z.string().nullable() });
export const runResponse = z.object({ run: runDetailSchema });
export const runCancelResponse = z.object({
  workflowId: z.string(),
  runId: z.string(),
  cancelRequested: z.literal(true),
});
export type RunsPage = z.output<typeof runsResponse>;
export type RunResponse = z.output<typeof runResponse>;
