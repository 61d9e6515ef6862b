import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { parseDuration } from '../lib/automations/durations';
import {
  AUTOMATION_RUN_WORKFLOW,
  automationRunWorkflowId,
  automationScheduleId,
  type AutomationDefinitionSpec,
  type AutomationRunInput,
  type AutomationRunWorkflow,
} from '../workflows/contracts/automation-run';
import { SearchAttr } from '../workflows/contracts/search-attributes';
import { TaskQueue } from '../workflows/contracts/task-queues';

/** The key of scheduled runs; Temporal appends the scheduled time to the workflow id (`auto:<id>:schedule-<time>`). */
const SCHEDULED_RUN_KEY = 'schedule';

export interface ScheduledAutomation {
  automation: { id: string; teamId: string; name: string };
  version: { id: string; version: number; definition: AutomationDefinitionSpec };
}

interface ScheduleTrigger {
  type: 'schedule';
  cron?: string;
  every?: string;
  timezone?: string;
}

const isScheduleTrigger = (t: AutomationDefinitionSpec['trigger']): t is ScheduleTrigger & typeof t =>
  t.type === 'schedule';

function specOf(trigger: ScheduleTrigger): ScheduleSpec {
  if (trigger.cron !== undefined) {
    return { cronExpressions: [trigger.cron], timezone: trigger.timezone ?? 'UTC' };
  }
  const every = parseDuration(trigger.every ?? '');
  if (every === undefined)
    throw new Error(`schedule trigger without cron or a valid every: ${trigger.every}`);
  return { intervals: [{ every }], timezone: trigger.timezone ?? 'UTC' };
}

/**
 * What the Schedule starts: the interpreter with the live version's input. A scheduled run is not recorded by
 * startAutomationRun (Temporal starts it), so the interpreter records its own run row when it finds none.
 */
function actionOf(s: ScheduledAutomation): ScheduleOptionsStartWorkflowAction<AutomationRunWorkflow> {
  const input: AutomationRunInput = {
    automationId: s.automation.id,
    teamId: s.automation.teamId,
    automationName: s.automation.name,
    versionId: s.version.id,
    version: s.version.version,
    definition: s.version.definition,
    // The scheduled time is not known here: the run reads it from TemporalScheduledStartTime.
    trigger: {
      source: 'schedule',
      payload: { schedule_id: automationScheduleId(s.automation.id) },
      key: SCHEDULED_RUN_KEY,
    },
  };
  return {
    type: 'startWorkflow',
    workflowType: AUTOMATION_RUN_WORKFLOW,
    workflowId: automationRunWorkflowId(s.automation.id, SCHEDULED_RUN_KEY),
    taskQueue: TaskQueue.main,
    args: [input],
    typedSearchAttributes: [
      { key: SearchAttr.TeamId, value: s.automation.teamId },
      { key: SearchAttr.AutomationId, value: s.automation.id },
      { key: SearchAttr.TriggerSource, value: 'schedule' },
    ],
    staticSummary: `${s.automation.name} (version ${s.version.version}, schedule)`,
  };
}

/**
 * Creates the automation's Schedule, or brings it to this version (a new activation); either way it runs.
 * Returns false when the version's trigger is not a schedule (then any Schedule left from an earlier version is
 * deleted).
 */
export async function upsertAutomationSchedule(client: Client, s: ScheduledAutomation): Promise<boolean> {
  const trigger = s.version.definition.trigger;
  if (!isScheduleTrigger(trigger)) {
    await deleteAutomationSchedule(client, s.automation.id);
    return false;
  }
  const scheduleId = automationScheduleId(s.automation.id);
  const spec = specOf(trigger);
  const action = actionOf(s);
  const policies: ScheduleOptions['policies'] = {
    // Runs are independent; the interpreter's own concurrency setting (queue or skip) decides about overlap.
    overlap: ScheduleOverlapPolicy.ALLOW_ALL,
    // After an outage, a missed run within ten minutes still happens; older ones are skipped.
    catchupWindow: '10 minutes',
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies,
      state: { note: `automation ${s.automation.id}, version ${s.version.version}` },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec,
      action,
      policies: { ...previous.policies, ...policies },
      state: {
        ...previous.state,
        paused: false,
        note: `automation ${s.automation.id}, version ${s.version.version}`,
      },
    }));
  }
  return true;
}

const ignoreMissing = (err: unknown) => {
  if (!(err instanceof ScheduleNotFoundError)) throw err;
};

export async function pauseAutomationSchedule(client: Client, automationId: string): Promise<void> {
  await client.schedule
    .getHandle(automationScheduleId(automationId))
    .pause('automation paused')
    .catch(ignoreMissing);
}

export async function deleteAutomationSchedule(client: Client, automationId: string): Promise<void> {
  await client.schedule.getHandle(automationScheduleId(automationId)).delete().catch(ignoreMissing);
}

export interface AutomationScheduleInfo {
  scheduleId: string;
  paused: boolean;
  nextRuns: Date[];
  recentRuns: { scheduledAt: Date; workflowId: string }[];
}

/** The Schedule's state and its next run times, or null when the automation has none. */
export async function describeAutomationSchedule(
  client: Client,
  automationId: string,
  next = 5,
): Promise<AutomationScheduleInfo | null> {
  const scheduleId = automationScheduleId(automationId);
  try {
    const d = await client.schedule.getHandle(scheduleId).describe();
    return {
      scheduleId,
      paused: d.state.paused,
      nextRuns: d.info.nextActionTimes.slice(0, next),
      recentRuns: d.info.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt,
        workflowId: a.action.workflow.workflowId,
      })),
    };
  } catch (err) {
    ignoreMissing(err);
    return null;
  }
}
