import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * The automation interpreter: one workflow type runs any builder-designed definition. The API and the trigger
 * starters start it by name with this contract, so they never load workflow code. The definition travels in the
 * input: a run is pinned to the version it started on.
 */
export const AUTOMATION_RUN_WORKFLOW = 'automationRunWorkflow';
const RUN_STATE_QUERY = 'automationRunState';
const DECIDE_UPDATE = 'automationDecide';
export const EVENT_SIGNAL = 'automationEvent';

/** Failure types the API maps to answers (409 for a refused decision, 400 for a step failure's path). */
export const AutomationFailure = {
  /** An approval decision refused by the update's validator (not waiting, not allowed). */
  decisionRefused: 'DecisionRefused',
  /** An expression that could not be evaluated: a missing path, a wrong type, over its limits. */
  expression: 'ExpressionError',
  /** A step's config is wrong at run time (a record that does not exist, a value of the wrong kind). */
  stepConfig: 'StepConfigError',
  /** A for_each list longer than its max_items. */
  tooManyItems: 'TooManyItems',
  /** A wait_for_approval that timed out with on_timeout: fail. */
  approvalTimedOut: 'ApprovalTimedOut',
} as const;

/** Readable business key: `auto:<automationId>:<key>`; keys that are long or unusual are hashed by the caller. */
export const automationRunWorkflowId = (automationId: string, key: string): string =>
  `auto:${automationId}:${key}`;

/** Temporal Schedule of a schedule-triggered automation. */
export const automationScheduleId = (automationId: string): string => `auto-schedule:${automationId}`;

/** The prefix of every run id of an automation (visibility queries use `AutomationId` instead). */
export const automationRunIdPrefix = (automationId: string): string => `auto:${automationId}:`;

/**
 * A step as the interpreter sees it: the shape lib/automations/steps.ts validates. Only what steering needs is
 * typed here; each step's config is read by the activity that runs it.
 */
export interface AutomationStepSpec {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  if?: string;
  retry?: {
    max_attempts: number;
    initial_interval: string;
    backoff: number;
    max_interval: string;
  };
  on_error?: AutomationStepSpec[];
}

export interface AutomationDefinitionSpec {
  version: number;
  trigger: { type: string } & Record<string, unknown>;
  steps: AutomationStepSpec[];
  /** Runs of this automation at once; more either wait for a free slot (queue) or end at once (skip). */
  concurrency?: { max_runs: number; when_busy: 'queue' | 'skip' };
}

export type TriggerSource = 'webhook' | 'schedule' | 'clickbank' | 'event' | 'manual' | 'rerun' | 'resume';

export interface AutomationRunInput {
  automationId: string;
  teamId: string;
  /** The name shown in the run list and in Temporal Web. */
  automationName: string;
  versionId: string;
  version: number;
  definition: AutomationDefinitionSpec;
  trigger: {
    source: TriggerSource;
    /** What expressions read as `trigger`. */
    payload: unknown;
    /** The delivery or event key this run was started under. */
    key: string;
    /** Who started it (manual runs, re-runs, resumes). */
    userId?: string;
  };
  /** A resumed run: the outputs of the steps that succeeded in the failed run it continues. */
  resume?: { fromWorkflowId: string; outputs: Record<string, unknown>; vars: Record<string, unknown> };
  /** Set by continue-as-new: the state so far. */
  carried?: CarriedRunState;
  /** A child run of a large for_each: runs these iterations of one lane and returns their outputs. */
  lane?: LaneInput;
}

/** Iterations of a for_each handed to a child run (large fan-outs keep the parent's history small). */
export interface LaneInput {
  parentWorkflowId: string;
  /** The for_each step's key in the parent run. */
  stepKey: string;
  as: string;
  items: { index: number; item: unknown }[];
  concurrency: number;
  steps: AutomationStepSpec[];
  /** The parent's `steps` and `vars` scope when the for_each started. */
  stepScope: Record<string, unknown>;
  vars: Record<string, unknown>;
}

/** Roles by rank: an approver role admits members of that role or above (owner > admin > editor > viewer). */
export const APPROVER_ROLE_RANK: Record<string, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

type StepStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

export interface StepError {
  message: string;
  /** A failure type from AutomationFailure, or the provider's error type. */
  type?: string;
  /** The expression path at fault, when an expression failed. */
  path?: string;
  /** Whether Temporal retries it. */
  retryable?: boolean;
}

/** What a run is waiting for. */
export interface StepWait {
  kind: 'timer' | 'approval' | 'event' | 'slot' | 'content_review';
  /** When the wait ends at the latest (ISO). */
  until?: string;
  /** Platform event type or `signal:<name>`. */
  event?: string;
  approvers?: { roles: string[]; userIds: string[] };
  message?: string;
}

export interface StepRunState {
  /** The step's key in the run: its id, or `<for_each id>[<index>].<id>` inside an iteration. */
  key: string;
  id: string;
  name: string;
  type: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  attempts: number;
  output?: unknown;
  error?: StepError;
  wait?: StepWait;
  /** The output came from the failed run this one resumed. */
  reused?: boolean;
}

/** An event or signal that reached the run; kept until a wait_for_event step takes it. */
export interface BufferedEvent {
  /** A platform event type (`contact.tagged`) or `signal:<name>`. */
  type: string;
  /** De-duplication: the same id is buffered once. */
  id: string;
  payload: unknown;
  receivedAt: string;
}

export interface AutomationRunState {
  status: RunStatus;
  automationId: string;
  versionId: string;
  version: number;
  startedAt: string;
  endedAt?: string;
  /** Step keys in the order they started. */
  order: string[];
  steps: Record<string, StepRunState>;
  vars: Record<string, unknown>;
  /** The step the run is in now (running or waiting). */
  currentStep: string | null;
  error?: StepError & { step?: string };
  /** Events received and not yet taken by a wait_for_event step. */
  pendingEvents: number;
}

/** Carried across continue-as-new: the top-level step to go on from and everything the scope needs. */
interface CarriedRunState {
  nextIndex: number;
  state: AutomationRunState;
  outputs: Record<string, unknown>;
  events: BufferedEvent[];
  seenEventIds: string[];
  slotHeld: boolean;
}

export interface DecisionInput {
  /** The wait_for_approval step's key. */
  step: string;
  decision: 'approve' | 'reject';
  userId: string;
  /** The deciding member's role in the team (checked against the step's approvers). */
  role: string;
  note?: string;
}

export interface AutomationEventInput {
  type: string;
  id: string;
  payload: unknown;
}

export interface AutomationRunResult {
  status: RunStatus;
  outputs: Record<string, unknown>;
  error?: StepError & { step?: string };
}

export const runStateQuery = defineQuery<AutomationRunState>(RUN_STATE_QUERY);
export const decideUpdate = defineUpdate<AutomationRunState, [DecisionInput]>(DECIDE_UPDATE);
export const eventSignal = defineSignal<[AutomationEventInput]>(EVENT_SIGNAL);

/** The workflow's signature, for typed handles without loading workflow code. */
export type AutomationRunWorkflow = (input: AutomationRunInput) => Promise<AutomationRunResult>;
