import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  deleteAutomationRun,
  findAutomationRun,
  insertAutomationRun,
  setAutomationRunId,
  storeStepOutput,
} from '../data/automation-runs';
import type { Step } from '../lib/automations/steps';
import { listenedEvents, runKey } from '../lib/automations/walk';
import {
  AUTOMATION_RUN_WORKFLOW,
  automationRunWorkflowId,
  type AutomationDefinitionSpec,
  type AutomationRunInput,
  type AutomationRunWorkflow,
} from '../workflows/contracts/automation-run';
import { SearchAttr } from '../workflows/contracts/search-attributes';
import { TaskQueue } from '../workflows/contracts/task-queues';

/** Trigger payloads above this size travel by reference (as step outputs do). */
const INLINE_PAYLOAD_BYTES = 64 * 1024;

export interface AutomationRunStart {
  automation: { id: string; teamId: string; name: string };
  version: { id: string; version: number; definition: AutomationDefinitionSpec };
  trigger: AutomationRunInput['trigger'];
  resume?: AutomationRunInput['resume'];
}

export interface StartedAutomationRun {
  workflowId: string;
  runId: string | null;
  /** False when a run with this key existed already (a repeated delivery): the answer names that run. */
  started: boolean;
}

const SOURCE_WORDS: Record<AutomationRunInput['trigger']['source'], string> = {
  webhook: 'webhook',
  schedule: 'schedule',
  clickbank: 'ClickBank sale notification',
  event: 'platform event',
  manual: 'started by hand',
  rerun: 're-run',
  resume: 'resumed after a failure',
};

/**
 * Starts an automation run under `auto:<automationId>:<key>`, once per key. The run is recorded first (so platform
 * events reach it from its first moment, and a repeated delivery finds it); a running run with the same id is
 * joined (USE_EXISTING) and a finished one is never started again (REJECT_DUPLICATE): either way the caller gets
 * that run back with started: false.
 */
export async function startAutomationRun(
  client: Client,
  db: Knex,
  s: AutomationRunStart,
): Promise<StartedAutomationRun> {
  const workflowId = automationRunWorkflowId(s.automation.id, runKey(s.trigger.key));
  const fresh = await insertAutomationRun(db, {
    workflowId,
    automationId: s.automation.id,
    teamId: s.automation.teamId,
    versionId: s.version.id,
    version: s.version.version,
    triggerSource: s.trigger.source,
    triggerKey: s.trigger.key,
    payload: s.trigger.payload,
    listensFor: listenedEvents(s.version.definition.steps as unknown as Step[]),
    resumedFrom: s.resume?.fromWorkflowId,
    startedBy: s.trigger.userId,
  });
  // A large payload is stored once and referenced: every step's input carries the trigger, and a run's history must
  // not grow by the payload's size at each step (read back by the activities' resolveScope).
  const payloadText = JSON.stringify(s.trigger.payload ?? null);
  const payloadBytes = Buffer.byteLength(payloadText, 'utf8');
  const payload =
    payloadBytes > INLINE_PAYLOAD_BYTES
      ? {
          $ref: await storeStepOutput(db, {
            teamId: s.automation.teamId,
            workflowId,
            stepKey: 'trigger',
            value: s.trigger.payload,
            bytes: payloadBytes,
          }),
          bytes: payloadBytes,
        }
      : s.trigger.payload;
  const input: AutomationRunInput = {
    automationId: s.automation.id,
    teamId: s.automation.teamId,
    automationName: s.automation.name,
    versionId: s.version.id,
    version: s.version.version,
    definition: s.version.definition,
    trigger: { ...s.trigger, payload },
    ...(s.resume ? { resume: s.resume } : {}),
  };
  try {
    const handle = await client.workflow.start<AutomationRunWorkflow>(AUTOMATION_RUN_WORKFLOW, {
      taskQueue: TaskQueue.main,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
      typedSearchAttributes: [
        { key: SearchAttr.TeamId, value: s.automation.teamId },
        { key: SearchAttr.AutomationId, value: s.automation.id },
        { key: SearchAttr.TriggerSource, value: s.trigger.source },
        ...(s.trigger.userId ? [{ key: SearchAttr.UserId, value: s.trigger.userId }] : []),
      ],
      staticSummary: `${s.automation.name} (version ${s.version.version}, ${SOURCE_WORDS[s.trigger.source]})`,
    });
    // A repeated delivery answers with this run id, also while no worker has picked the run up.
    await setAutomationRunId(db, workflowId, handle.firstExecutionRunId);
    return { workflowId, runId: handle.firstExecutionRunId, started: fresh };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      // Not started: a row left behind would show a run that does not exist (and take events meant for runs).
      if (fresh) await deleteAutomationRun(db, workflowId);
      throw err;
    }
    const row = await findAutomationRun(db, s.automation.teamId, workflowId);
    return { workflowId, runId: row?.runId ?? null, started: false };
  }
}
