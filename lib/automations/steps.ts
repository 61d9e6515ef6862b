import { z } from 'zod';
import { roles } from '../roles';
import {
  addToSequenceConfig,
  deliverBonusConfig,
  generateContentConfig,
  httpRequestConfig,
  publishWordpressConfig,
  removeFromSequenceConfig,
  sendEmailConfig,
  setVariableConfig,
  tagContactConfig,
} from './action-configs';
import { durationSchema, MAX_WAIT_MS } from './durations';
import { condition, identifier } from './fields';
import { platformEvents } from './triggers';

/**
 * Steps. Flow steps (branch, for_each, wait_for_event's timeout, on_error) hold lanes: lists of steps that run in
 * order. The schema is recursive, so its TypeScript types are written out here (the lanes are checked
 * against them, the step union is cast).
 */

/** Steps in one lane, and in a whole definition. */
export const MAX_LANE_STEPS = 100;

const retryPolicySchema = z.strictObject({
  max_attempts: z
    .number()
    .int()
    .min(1)
    .max(10, 'at most 10 attempts')
    .meta({ description: 'How many times to try in all, at most 10' })
    .default(3),
  initial_interval: durationSchema(3_600_000)
    .meta({ description: 'How long to wait before the second try', examples: ['1s'] })
    .default('1s'),
  backoff: z
    .number()
    .min(1)
    .max(10)
    .meta({ description: 'Each wait is this many times longer than the one before' })
    .default(2),
  max_interval: durationSchema(86_400_000)
    .meta({ description: 'The longest wait between two tries', examples: ['10m'] })
    .default('10m'),
});
type RetryPolicy = z.output<typeof retryPolicySchema>;

type Config<S extends z.ZodType> = z.output<S>;

interface Lanes {
  branch: { branches: { when: string; steps: Step[] }[]; otherwise: Step[] };
  for_each: { items: string; as: string; max_items: number; concurrency: number; steps: Step[] };
  wait_for_event: {
    event?: (typeof platformEvents)[number];
    signal?: string;
    match?: string;
    timeout: string;
    on_timeout: Step[];
  };
}

interface StepConfigs extends Lanes {
  generate_content: Config<typeof generateContentConfig>;
  send_email: Config<typeof sendEmailConfig>;
  add_to_sequence: Config<typeof addToSequenceConfig>;
  remove_from_sequence: Config<typeof removeFromSequenceConfig>;
  tag_contact: Config<typeof tagContactConfig>;
  deliver_bonus: Config<typeof deliverBonusConfig>;
  publish_wordpress: Config<typeof publishWordpressConfig>;
  http_request: Config<typeof httpRequestConfig>;
  set_variable: Config<typeof setVariableConfig>;
  wait: Config<typeof waitConfig>;
  wait_until: Config<typeof waitUntilConfig>;
  wait_for_approval: Config<typeof waitForApprovalConfig>;
}

export type StepType = keyof StepConfigs;

export type Step = {
  [T in StepType]: {
    id: string;
    name: string;
    type: T;
    config: StepConfigs[T];
    if?: string;
    retry?: RetryPolicy;
    on_error?: Step[];
  };
}[StepType];

const waitConfig = z.strictObject({
  duration: durationSchema(MAX_WAIT_MS).meta({
    description: 'How long: minutes (m), hours (h), days (d) or weeks (w), at most a year',
    examples: ['2d'],
  }),
});

const waitUntilConfig = z.strictObject({
  /** An ISO date-time, or an expression giving one; at most a year ahead when the step runs. */
  until: z
    .string()
    .trim()
    .min(1, 'enter a date-time or an expression')
    .max(2_000)
    .meta({
      description:
        'A date and time with its time zone offset, or a value from the trigger; at most a year ahead',
      examples: ['{{ trigger.webinar_at }}'],
    }),
});

const waitForApprovalConfig = z.strictObject({
  approvers: z
    .strictObject({
      roles: z.array(z.enum(roles)).meta({ description: 'Members with these roles may decide' }).default([]),
      user_ids: z
        .array(z.uuid())
        .max(50)
        .meta({ description: 'These members may decide (their user ids)' })
        .default([]),
    })
    .refine((a) => a.roles.length + a.user_ids.length > 0, {
      error: 'name who may decide: roles or user_ids',
      path: ['roles'],
    }),
  message: z
    .string()
    .max(2_000)
    .meta({
      description: 'What the person deciding reads',
      examples: ['Publish "{{ steps.draft.output.title }}"?'],
    })
    .optional(),
  timeout: durationSchema(MAX_WAIT_MS)
    .meta({ description: 'How long to wait for a decision', examples: ['3d'] })
    .default('7d'),
  /** What a timeout does: approve, reject (the run goes on as rejected), or fail the step. */
  on_timeout: z
    .enum(['approve', 'reject', 'fail'])
    .meta({ description: 'What happens when nobody decides in time' })
    .default('reject'),
});

const stepList = () =>
  z.array(z.lazy(() => stepSchema)).max(MAX_LANE_STEPS, `at most ${MAX_LANE_STEPS} steps in one list`);

/** A lane inside a step; named once in the JSON Schema (modifiers on it would clone its id, so only wrap it). */
const lane: z.ZodType<Step[], unknown> = stepList().meta({
  id: 'AutomationSteps',
  description: 'Steps that run in order',
});

/** The definition's top-level steps. */
export const topLevelSteps = stepList().min(1, 'add at least one step');

const branchConfig = z.strictObject({
  branches: z
    .array(
      z.strictObject({
        when: condition.meta({
          description: 'This path runs when this is true',
          examples: ['trigger.amount > 50.0'],
        }),
        steps: lane,
      }),
    )
    .min(1, 'add at least one branch')
    .max(20, 'at most 20 branches'),
  otherwise: lane.default([]),
});

const forEachConfig = z.strictObject({
  /** An expression giving the list. */
  items: z
    .string()
    .trim()
    .min(1, 'enter an expression giving the list')
    .max(2_000)
    .meta({ description: 'The list to go through', examples: ['trigger.line_items'] }),
  /** The variable holding the current item: `vars.<as>` in the lane. */
  as: identifier('a variable name')
    .meta({ description: 'The steps inside read the current item as vars.<this name>', examples: ['item'] })
    .default('item'),
  max_items: z
    .number()
    .int()
    .min(1)
    .max(10_000, 'at most 10000 items')
    .meta({ description: 'Stop after this many items' })
    .default(100),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(20, 'at most 20 at once')
    .meta({ description: 'How many items to do at the same time, at most 20' })
    .default(1),
  steps: lane,
});

const waitForEventConfig = z
  .strictObject({
    event: z
      .enum(platformEvents)
      .meta({ description: 'The Hopflow event to wait for (or a signal instead)' })
      .optional(),
    /** A signal sent to the run by name (e.g. from the API), instead of a platform event. */
    signal: identifier('a signal name')
      .meta({ description: 'Or wait for a signal sent to the run by name', examples: ['confirmed'] })
      .optional(),
    /** A condition on `event` (the event or signal payload) and the usual scope. */
    match: condition
      .meta({
        description: 'Only an event for which this is true counts',
        examples: ['event.contact.id == trigger.contact.id'],
      })
      .optional(),
    timeout: durationSchema(MAX_WAIT_MS).meta({
      description: 'How long to wait before giving up, at most a year',
      examples: ['14d'],
    }),
    on_timeout: lane.default([]),
  })
  .refine((c) => (c.event === undefined) !== (c.signal === undefined), {
    error: 'wait for either an event or a signal',
    path: ['event'],
  });

const configs = {
  generate_content: generateContentConfig,
  send_email: sendEmailConfig,
  add_to_sequence: addToSequenceConfig,
  remove_from_sequence: removeFromSequenceConfig,
  tag_contact: tagContactConfig,
  deliver_bonus: deliverBonusConfig,
  publish_wordpress: publishWordpressConfig,
  http_request: httpRequestConfig,
  set_variable: setVariableConfig,
  branch: branchConfig,
  for_each: forEachConfig,
  wait: waitConfig,
  wait_until: waitUntilConfig,
  wait_for_event: waitForEventConfig,
  wait_for_approval: waitForApprovalConfig,
} as const;

export const stepTypes = Object.keys(configs) as StepType[];

/** Shown by the builder (the JSON Schema's descriptions). */
const descriptions: Record<StepType, string> = {
  generate_content:
    'Generate content for a campaign with the content pipeline, optionally waiting for its review',
  send_email: 'Send one email',
  add_to_sequence: 'Enroll a contact in a drip sequence',
  remove_from_sequence: 'Stop a contact’s drip sequence',
  tag_contact: 'Add or remove tags of a contact',
  deliver_bonus: 'Deliver the bonuses of a ClickBank sale',
  publish_wordpress: 'Publish a content item on WordPress, now or at a time',
  http_request: 'Call an outside HTTP API',
  set_variable: 'Set a variable that later steps read as vars.<name>',
  branch: 'Run the steps of the first branch whose condition is true, else the otherwise steps',
  for_each: 'Run steps once per item of a list',
  wait: 'Wait for a duration',
  wait_until: 'Wait until a date and time',
  wait_for_event: 'Wait for a platform event or a signal, with a timeout',
  wait_for_approval: 'Wait for a team member to approve or reject',
};

const stepOf = <T extends StepType>(type: T) =>
  z
    .strictObject({
      id: identifier('a step id'),
      name: z
        .string()
        .trim()
        .min(1, 'name the step')
        .max(120, 'at most 120 characters')
        .meta({ description: 'A short name shown in the flow and in runs' }),
      type: z.literal(type),
      config: configs[type],
      if: condition
        .meta({
          description: 'Run this step only when this is true; otherwise it is skipped',
          examples: ['trigger.amount > 10.0'],
        })
        .optional(),
      retry: retryPolicySchema
        .meta({ description: 'How to try again when the step fails for a passing reason' })
        .optional(),
      on_error: lane.optional(),
    })
    .describe(descriptions[type]);

const stepSchema: z.ZodType<Step, unknown> = z
  .discriminatedUnion(
    'type',
    stepTypes.map((type) => stepOf(type)) as unknown as [ReturnType<typeof stepOf>],
    { error: `a step type: ${stepTypes.join(', ')}` },
  )
  .meta({ id: 'AutomationStep' }) as unknown as z.ZodType<Step, unknown>;
