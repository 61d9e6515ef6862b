/** Automation runs in words: statuses, what started a run, waits, retries, and the step tree of a run. */
import type {
  AutomationRunStateView,
  AutomationRunStatus,
  AutomationStepRetry,
  AutomationStepState,
  AutomationTriggerSource,
} from '$api/automation-runs';

export const automationRunStatuses: readonly AutomationRunStatus[] = [
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'queued',
  'skipped',
];

const statusWords: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  pending: 'Not started',
};

export const runStatusWord = (status: string): string => statusWords[status] ?? status;

/** The badge class of a run or step status (see app.css). */
export function runStatusTone(status: string): string {
  if (status === 'succeeded') return 'completed';
  if (status === 'failed') return 'failed';
  if (status === 'running' || status === 'waiting' || status === 'queued') return 'pending';
  return '';
}

export const isRunOver = (status: string): boolean =>
  ['succeeded', 'failed', 'cancelled', 'skipped'].includes(status);

const sourceWords: Record<AutomationTriggerSource, string> = {
  webhook: 'Webhook',
  schedule: 'Schedule',
  clickbank: 'ClickBank sale',
  event: 'Something in Hopflow',
  manual: 'Test run',
  rerun: 'Run again',
  resume: 'Resumed run',
};

/** What started a run, in words; the key says more for ClickBank and Hopflow events (`SALE`, `contact.tagged`). */
export function triggerSourceWord(source: string, key = ''): string {
  if (source === 'clickbank') {
    const type = /(?:^|:)(RFND|CGBK|BILL|TEST_SALE|TEST_RFND|SALE)(?::|$)/.exec(key)?.[1];
    if (type === 'RFND' || type === 'TEST_RFND') return 'ClickBank refund';
    if (type === 'CGBK') return 'ClickBank chargeback';
    if (type === 'BILL') return 'ClickBank rebill';
  }
  return (sourceWords as Record<string, string>)[source] ?? source;
}

/** A moment with its weekday, for waits: "Tue 8 Dec, 09:00 UTC". */
function whenWords(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** A step's wait in words: "Waiting until Tue 8 Dec, 09:00", "Waiting for approval from editors". */
export function waitWords(wait: AutomationStepState['wait'], timeZone: string): string {
  if (!wait) return 'Waiting';
  const until = wait.until ? whenWords(wait.until, timeZone) : null;
  switch (wait.kind) {
    case 'timer':
      return until ? `Waiting until ${until}` : 'Waiting';
    case 'approval': {
      const roles = wait.approvers?.roles ?? [];
      const people = wait.approvers?.userIds.length ?? 0;
      const who = [
        roles.length ? roles.map((r) => `${r}s`).join(' or ') : '',
        people ? `${people} named ${people === 1 ? 'person' : 'people'}` : '',
      ]
        .filter(Boolean)
        .join(' or ');
      return `Waiting for approval${who ? ` from ${who}` : ''}${until ? ` (until ${until})` : ''}`;
    }
    case 'event': {
      const what = wait.event?.startsWith('signal:')
        ? `the signal “${wait.event.slice('signal:'.length)}”`
        : `“${wait.event ?? 'an event'}”`;
      return `Waiting for ${what}${until ? ` until ${until}` : ''}`;
    }
    case 'slot':
      return 'Waiting for other runs of this automation to finish';
    case 'content_review':
      return wait.message ?? 'Waiting for the content';
    default:
      return wait.message ?? 'Waiting';
  }
}

/** "Attempt 2 of 5, next try at 10:42:05". */
export function retryWords(retry: AutomationStepRetry, timeZone: string): string {
  const of = retry.maxAttempts ? ` of ${retry.maxAttempts}` : '';
  if (!retry.nextAttemptAt) return `Attempt ${retry.attempt}${of}, trying now`;
  const at = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone,
  }).format(new Date(retry.nextAttemptAt));
  return `Attempt ${retry.attempt}${of}, next try at ${at}`;
}

/** A span of time in words: "0.4 s", "12 s", "3 min 5 s", "2 h 10 min", "3 days". */
export function durationWords(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  if (!fromIso || !toIso) return '—';
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return 'under a second';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  const days = Math.floor(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'}`;
}

export interface StepNode {
  step: AutomationStepState;
  depth: number;
  /** The iteration a step runs in ("Item 1"), for steps inside a for_each. */
  iteration: string | null;
}

/**
 * The run's steps in the order they started, each indented under the step it runs inside: a for_each iteration's
 * steps (`loop[0].send`) under the for_each, a branch's steps under the branch that started just before them and
 * was still running (branches run their lane inside the branch step's own time).
 */
export function stepTree(state: AutomationRunStateView): StepNode[] {
  const nodes: StepNode[] = [];
  const open: { key: string; depth: number; endedAt?: string; type: string }[] = [];
  for (const key of state.order) {
    const step = state.steps[key];
    if (!step) continue;
    const iterations = [...key.matchAll(/\[(\d+)\]\./g)];
    const lastIteration = iterations.at(-1);
    let depth = iterations.length;
    // A step that started while a branch step was still going runs in that branch's lane.
    const startedAt = step.startedAt ?? '';
    while (open.length) {
      const parent = open.at(-1)!;
      const inside = !parent.endedAt || (startedAt !== '' && startedAt <= parent.endedAt);
      if (inside && parent.key !== key) break;
      open.pop();
    }
    const branchDepth = open.length ? open.at(-1)!.depth + 1 : 0;
    depth = Math.max(depth, branchDepth);
    nodes.push({
      step,
      depth,
      iteration: lastIteration ? `Item ${Number(lastIteration[1]) + 1}` : null,
    });
    if (step.type === 'branch') open.push({ key, depth, endedAt: step.endedAt, type: step.type });
  }
  return nodes;
}

/** The steps waiting for someone's approval now. */
export function waitingApprovals(state: AutomationRunStateView | null): AutomationStepState[] {
  if (!state) return [];
  return Object.values(state.steps).filter((s) => s.status === 'waiting' && s.wait?.kind === 'approval');
}

/** An error message without the setting it names first (`config.to: …`), which is shown on its own. */
export function errorWithoutPath(error: { message: string; path?: string }): string {
  const prefix = error.path ? `${error.path}: ` : null;
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** A value for reading: short text as it is, anything else as indented JSON. */
export function readableValue(value: unknown): { text: string; long: boolean } {
  const text =
    typeof value === 'string'
      ? value
      : value === undefined
        ? '—'
        : (JSON.stringify(value, null, 2) ?? String(value));
  return { text, long: text.length > 160 || text.split('\n').length > 4 };
}

/** An output as rows of key and value when it is an object, else one row. */
export function outputRows(output: unknown): [string, unknown][] {
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    return Object.entries(output as Record<string, unknown>);
  }
  return [['Value', output]];
}
