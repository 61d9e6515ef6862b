import { templateProblems } from '../../lib/email/render';
import { timestamp, uuid } from './common';
import { z } from './zod';

const MAX_SEQUENCE_STEPS = 50;
const MAX_STEP_DELAY_SECONDS = 365 * 24 * 60 * 60;

export const sequenceParams = z.object({ teamId: uuid, sequenceId: uuid });

const sequenceTriggerSchema = z.enum(['manual', 'sale']).openapi('SequenceTrigger', {
  description: 'manual: enrolled from the UI or API; sale: buyers of the campaign are enrolled automatically',
});

const sequenceName = z.string().trim().min(1, 'Enter a sequence name').max(120, 'At most 120 characters');

/** A subject or body template: `{{ first_name }}`-style placeholders, checked when saved. */
const emailTemplate = (what: string, max: number) =>
  z
    .string()
    .min(1, `Enter the ${what}`)
    .max(max, `At most ${max} characters`)
    .superRefine((template, ctx) => {
      for (const problem of templateProblems(template)) ctx.addIssue({ code: 'custom', message: problem });
    });

export const subjectTemplate = emailTemplate('subject', 200).refine(
  (s) => !/[\r\n]/.test(s),
  'A subject is one line',
);
export const bodyTemplate = emailTemplate('body', 20_000);

const sequenceStepSchema = z
  .strictObject({
    subject: subjectTemplate,
    body: bodyTemplate,
    delaySeconds: z
      .number()
      .int('Whole seconds')
      .min(0, 'The delay cannot be negative')
      .max(MAX_STEP_DELAY_SECONDS, 'At most 365 days'),
  })
  .openapi('SequenceStepInput', {
    description: 'delaySeconds: wait before this step, from the previous step (or the enrollment)',
  });

/** All steps together: a run's snapshot travels through Temporal as one payload. */
const MAX_SEQUENCE_CHARACTERS = 400_000;

const stepsSchema = z
  .array(sequenceStepSchema)
  .max(MAX_SEQUENCE_STEPS, `At most ${MAX_SEQUENCE_STEPS} steps`)
  .refine(
    (steps) => steps.reduce((n, s) => n + s.subject.length + s.body.length, 0) <= MAX_SEQUENCE_CHARACTERS,
    `All steps together may hold at most ${MAX_SEQUENCE_CHARACTERS.toLocaleString('en-US')} characters`,
  );

export const createSequenceBody = z
  .strictObject({
    campaignId: uuid,
    name: sequenceName,
    trigger: sequenceTriggerSchema.default('manual'),
    steps: stepsSchema.optional(),
  })
  .openapi('CreateSequenceBody');

export const updateSequenceBody = z
  .strictObject({ name: sequenceName.optional(), trigger: sequenceTriggerSchema.optional() })
  .refine((b) => b.name !== undefined || b.trigger !== undefined, 'Send name or trigger');

export const replaceStepsBody = z.strictObject({ steps: stepsSchema }).openapi('ReplaceSequenceStepsBody');

export const listSequencesQuery = z.object({ campaignId: uuid.optional() });

export const previewBody = z
  .strictObject({ subject: subjectTemplate, body: bodyTemplate, contactId: uuid.optional() })
  .openapi('SequencePreviewBody', {
    description: 'Without contactId the email is rendered with sample values',
  });

export const enrollBody = z
  .strictObject({
    contactIds: z.array(uuid).max(1000, 'At most 1000 contacts per call').optional(),
    tag: z.string().trim().min(1).max(64).toLowerCase().optional(),
  })
  .refine((b) => (b.contactIds?.length ?? 0) > 0 || b.tag !== undefined, 'Send contactIds or a tag')
  .openapi('EnrollSequenceBody');

const sequenceRunStatusSchema = z
  .enum(['running', 'completed', 'stopped', 'failed'])
  .openapi('SequenceRunStatus');

export const listRunsQuery = z.object({ status: sequenceRunStatusSchema.optional() });

const sequenceStepSchemaOut = z
  .object({
    id: uuid,
    position: z.number().int(),
    subject: z.string(),
    body: z.string(),
    delaySeconds: z.number().int(),
  })
  .openapi('SequenceStep');

const sequenceSchema = z
  .object({
    id: uuid,
    teamId: uuid,
    campaignId: uuid,
    name: z.string(),
    trigger: sequenceTriggerSchema,
    stepCount: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Sequence');

const sequenceWithStepsSchema = sequenceSchema
  .extend({ steps: z.array(sequenceStepSchemaOut) })
  .openapi('SequenceWithSteps');

export const sequenceResponse = z.object({ sequence: sequenceWithStepsSchema });
export const sequencesResponse = z.object({ sequences: z.array(sequenceSchema) });

export const previewResponse = z
  .object({ subject: z.string(), text: z.string(), html: z.string() })
  .openapi('SequencePreview');

export const enrollResponse = z
  .object({
    started: z.number().int(),
    alreadyRunning: z.number().int(),
    skipped: z.number().int().openapi({
      description:
        'Contacts that finished this sequence before, are unsubscribed or inactive, or are not in this team',
    }),
  })
  .openapi('EnrollResult');

const sequenceRunSchema = z
  .object({
    id: uuid,
    workflowId: z.string(),
    contactId: uuid,
    contactEmail: z.string(),
    status: sequenceRunStatusSchema,
    triggerSource: sequenceTriggerSchema,
    currentStep: z.number().int().openapi({ description: 'Steps sent so far (the index of the next one)' }),
    totalSteps: z.number().int().nullable(),
    nextSendAt: timestamp.nullable(),
    stopReason: z.string().nullable(),
    startedAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .openapi('SequenceRun');

export const runsResponse = z.object({ runs: z.array(sequenceRunSchema) });
export type SequenceWithSteps = z.output<typeof sequenceWithStepsSchema>;
export type SequenceResponse = z.output<typeof sequenceResponse>;
export type SequencesResponse = z.output<typeof sequencesResponse>;
export type EmailPreview = z.output<typeof previewResponse>;
export type EnrollResult = z.output<typeof enrollResponse>;
export type SequenceRun = z.output<typeof sequenceRunSchema>;
export type SequenceRunsResponse = z.output<typeof runsResponse>;
