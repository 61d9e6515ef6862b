/** Words and filters for the runs API (the team's background work from Temporal; shapes: $api/runs). */
import type { RunStatus } from '$api/runs';

/** The statuses the run list filters by (a run that continued as new lives on under the same id). */
export const runStatuses = [
  'running',
  'completed',
  'failed',
  'canceled',
  'terminated',
  'timed_out',
] as const satisfies readonly RunStatus[];

export function isRunning(status: string): boolean {
  return status.toLowerCase() === 'running';
}

/** The kinds of team work a user can filter by (value: the API's type filter; label: what people read). */
export const runTypes = [
  { value: 'contentPipelineWorkflow', label: 'Content drafts' },
  { value: 'emailSequenceWorkflow', label: 'Email sequences' },
  { value: 'broadcastWorkflow', label: 'Broadcasts' },
  { value: 'clickbankNotificationWorkflow', label: 'ClickBank sales' },
  { value: 'teamInsightsWorkflow', label: 'Nightly insights' },
  { value: 'contactImportWorkflow', label: 'Contact imports' },
  { value: 'automationRunWorkflow', label: 'Automations' },
  { value: 'automationEventWorkflow', label: 'Automation checks' },
  { value: 'bonusDeliveryWorkflow', label: 'Bonuses' },
  { value: 'platformCheckWorkflow', label: 'Platform checks' },
] as const;

/** Run and step statuses in words ("timed_out" -> "Timed out"); an unknown status still reads as words. */
const statusWords: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Cancelled',
  cancelled: 'Cancelled',
  terminated: 'Stopped',
  timed_out: 'Timed out',
  continued_as_new: 'Running',
  scheduled: 'Waiting to start',
  retrying: 'Retrying',
};

export function runStatusLabel(status: string, waitingFor: string | null = null): string {
  const key = status.toLowerCase();
  if (key === 'running' && waitingFor) return waitingFor;
  return statusWords[key] ?? sentence(key.replace(/_/g, ' '));
}

const contentStatusWords: Record<string, string> = {
  generating: 'being written',
  awaiting_review: 'waiting for review',
  scheduled: 'scheduled',
  published: 'published',
  rejected: 'rejected',
  failed: 'failed',
  draft: 'a draft',
};

/** Platform events in words (the API's run titles use the same words). */
const eventWords: Record<string, string> = {
  'contact.created': 'New contact',
  'contact.tagged': 'Contact tagged',
  'content.approved': 'Content approved',
  'content.published': 'Content published',
  'email.refused': 'Email refused',
  'bonus.delivered': 'Bonus delivered',
};

function eventLabel(event: string): string {
  return eventWords[event] ?? sentence(event.replace(/[._]+/g, ' '));
}

function sentence(text: string): string {
  const t = text.trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) : t;
}

/**
 * A timeline step by its human name: the step's summary when the run gave one, else its activity name in
 * words ("sendTrackedEmail" -> "Send tracked email").
 */
export function stepLabel(step: string, activityType: string): string {
  if (step && step !== activityType) {
    // "Mark content awaiting_review (review)" -> "Mark as waiting for review"; the same status set after an
    // approval (the publish step) reads as what it is.
    const mark = /^Mark content (\w+)(?: \((\w+)\))?$/.exec(step);
    if (mark) {
      if (mark[1] === 'awaiting_review' && mark[2] === 'publish') return 'Approved: getting ready to publish';
      return `Mark as ${contentStatusWords[mark[1] ?? ''] ?? (mark[1] ?? '').replace(/_/g, ' ')}`;
    }
    // A platform event's bookkeeping steps: "Send contact.created to the runs waiting for it".
    const send = /^Send (\S+\.\S+) to the runs waiting for it$/.exec(step);
    if (send) return `Tell the automation runs waiting for “${eventLabel(send[1] ?? '')}”`;
    const start = /^Start the automations triggered by (\S+\.\S+)$/.exec(step);
    if (start) return `Start the automations that react to “${eventLabel(start[1] ?? '')}”`;
    return step.replace(/\b([a-z]+(?:_[a-z]+)+)\b/g, (word) => word.replace(/_/g, ' '));
  }
  return sentence(
    activityType
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/[_-]+/g, ' ')
      .toLowerCase(),
  );
}

/** The workflow's own progress values people can read: label and how to show the value. */
const progressWords: Record<string, [string, (v: number | string) => string]> = {
  step: ['Current step', (v) => sentence(String(v).replace(/_/g, ' '))],
  percent: ['Writing done', (v) => `${v}%`],
  sent: ['Emails sent', String],
  totalSteps: ['Emails in the sequence', String],
  recipients: ['Recipients', String],
  skipped: ['Skipped', String],
  refused: ['Refused', String],
  rowsDone: ['Rows done', String],
  created: ['Contacts added', String],
  updated: ['Contacts updated', String],
};

/** Progress values worth showing, as [label, value] pairs (ids, statuses and internal keys left out). */
export function progressFacts(progress: unknown): [string, string][] {
  if (typeof progress !== 'object' || progress === null) return [];
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(progress)) {
    const words = progressWords[key];
    if (!words || (typeof value !== 'number' && typeof value !== 'string')) continue;
    out.push([words[0], words[1](value)]);
  }
  return out;
}
/** The kind of work a run is, for the line under its title ("Email sequences" -> one of them). */
export function runTypeLabel(type: string): string {
  return runTypes.find((t) => t.value === type)?.label ?? otherTypeWords[type] ?? 'Background work';
}

/** Kinds of work not offered as a filter, still named in words under a run's title. */
const otherTypeWords: Record<string, string> = {
  bonusRevocationWorkflow: 'Bonuses',
  bonusTestDeliveryWorkflow: 'Bonuses',
  catalogSyncWorkflow: 'Products',
};
