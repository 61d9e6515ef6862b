import { timestamp, uuid } from './common';
import { z } from './zod';

/** The largest definition saved, as JSON (a run carries it in its Temporal input). */
export const MAX_DEFINITION_BYTES = 512 * 1024;

export const automationParams = z.object({ teamId: uuid, automationId: uuid });

const automationName = z.string().trim().min(1, 'Enter a name').max(120, 'At most 120 characters');
const automationDescription = z.string().trim().max(2000, 'At most 2000 characters').nullable();

/** Checked in the service by validateDefinition, so every problem is reported with its path. */
const definitionInput = z.unknown().openapi({
  type: 'object',
  description:
    'An automation definition ({ version: 1, trigger, steps }); see docs/automations.md. Every problem is ' +
    'answered at once as details[{ path: "definition.steps[0].config.to", message }]',
});

export const createAutomationBody = z
  .strictObject({
    name: automationName,
    description: automationDescription.optional(),
    definition: definitionInput.optional(),
  })
  .openapi('CreateAutomationBody');

export const updateAutomationBody = z
  .strictObject({
    name: automationName.optional(),
    description: automationDescription.optional(),
    definition: definitionInput.optional(),
  })
  .refine(
    (b) => b.name !== undefined || b.description !== undefined || b.definition !== undefined,
    'Send name, description or definition',
  )
  .openapi('UpdateAutomationBody', {
    description:
      'A definition is saved as a new draft version (or replaces the latest version if it is a draft)',
  });

/** The JSON of GET .../export; other fields (format, exported_at) are accepted and ignored on import. */
export const importAutomationBody = z
  .object({
    name: automationName,
    description: automationDescription.optional(),
    definition: definitionInput,
  })
  .openapi('ImportAutomationBody');

export const versionParams = automationParams.extend({
  versionOrHash: z
    .string()
    .regex(/^(\d{1,9}|[0-9a-fA-F]{64})$/, 'A version number or a content hash (64 hex digits)')
    .openapi({ example: '3' }),
});

export const deleteAutomationQuery = z.object({
  runs: z.enum(['cancel', 'keep']).optional().openapi({
    description:
      'When the automation has unfinished runs: cancel them, or keep them (they finish on their version)',
  }),
});

export const manualRunBody = z
  .strictObject({
    payload: z.unknown().optional().openapi({ description: 'What expressions read as trigger' }),
    version: z
      .enum(['live', 'latest'])
      .default('live')
      .openapi({
        description:
          "Which version runs: 'live' (default; 409 automation_not_active before the first activation) or " +
          "'latest': the latest version, draft or published, even when never activated (a test run of the editor's steps)",
      }),
  })
  .openapi('ManualRunBody');

export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const automationStatusSchema = z.enum(['draft', 'active', 'paused', 'archived']).openapi('AutomationStatus');

const versionSummarySchema = z
  .object({
    id: uuid,
    version: z.number().int(),
    contentHash: z.string(),
    state: z.enum(['draft', 'published']),
    createdBy: uuid.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    publishedBy: uuid.nullable(),
    publishedAt: timestamp.nullable(),
    live: z.boolean().openapi({ description: 'The version triggers start runs on' }),
  })
  .openapi('AutomationVersionSummary');

const automationSchema = z
  .object({
    id: uuid,
    name: z.string(),
    description: z.string().nullable(),
    status: automationStatusSchema,
    trigger: z.record(z.string(), z.unknown()).openapi({ description: "The live version's trigger" }),
    latestTriggerType: z
      .enum(['webhook', 'schedule', 'clickbank', 'event', 'manual'])
      .nullable()
      .openapi({ description: "The latest version's trigger type (a draft's too); null without a version" }),
    liveVersion: z.number().int().nullable(),
    latestVersion: versionSummarySchema.nullable(),
    createdBy: uuid.nullable(),
    updatedBy: uuid.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Automation');

export const automationResponse = z
  .object({
    automation: automationSchema.extend({
      definition: z.unknown().nullable().openapi({ description: 'The latest version (draft or published)' }),
    }),
  })
  .openapi('AutomationResponse');

export const automationsResponse = z.object({ automations: z.array(automationSchema) });

export const versionsResponse = z.object({ versions: z.array(versionSummarySchema) });

export const versionResponse = z.object({
  version: versionSummarySchema.extend({ definition: z.unknown() }),
});

export const exportResponse = z
  .object({
    format: z.literal('hopflow.automation'),
    name: z.string(),
    description: z.string().nullable(),
    definition: z.unknown(),
    exported_at: timestamp,
  })
  .openapi('AutomationExport', {
    description: 'Never holds secrets; POST .../automations/import reads it back',
  });

export const scheduleResponse = z.object({
  schedule: z
    .object({
      scheduleId: z.string(),
      paused: z.boolean(),
      nextRuns: z.array(timestamp),
      recentRuns: z.array(z.object({ scheduledAt: timestamp, workflowId: z.string() })),
    })
    .nullable()
    .openapi({ description: 'null when the live version has no schedule trigger' }),
});

export const webhookResponse = z
  .object({
    webhook: z.object({
      url: z.string(),
      scheme: z.enum(['token', 'standard_webhooks']),
      secret: z.string(),
      curl: z.string().openapi({ description: 'A working example delivery' }),
    }),
  })
  .openapi('AutomationWebhook');

export const deliveriesResponse = z.object({
  deliveries: z.array(
    z.object({
      id: uuid,
      status: z.enum(['started', 'duplicate', 'filtered', 'refused']),
      key: z.string().nullable(),
      keySource: z.enum(['idempotency-key', 'webhook-id', 'payload', 'body-hash']).nullable(),
      reason: z.string().nullable(),
      runWorkflowId: z.string().nullable(),
      bodyBytes: z.number().int(),
      receivedAt: timestamp,
    }),
  ),
});

export const startedRunResponse = z
  .object({
    run_id: z.string().nullable(),
    workflow_id: z.string(),
    status: z.enum(['started', 'duplicate', 'filtered']),
  })
  .openapi('AutomationRunStarted');

export type AutomationsResponse = z.output<typeof automationsResponse>;
export type AutomationResponse = z.output<typeof automationResponse>;
