/**
 * An automation's life in words: its status, which version is live, what starts it, its webhook deliveries and
 * its schedule. Pure (no Svelte, no $app), so the header, the "How it starts" page and the unit tests share it.
 */
import type { z } from '$api/zod';
import type {
  automationResponse,
  deliveriesResponse,
  scheduleResponse,
  versionsResponse,
  webhookResponse,
} from '$api/automations';

export type AutomationDetail = z.output<typeof automationResponse>['automation'];
export type VersionSummary = z.output<typeof versionsResponse>['versions'][number];
export type Delivery = z.output<typeof deliveriesResponse>['deliveries'][number];
export type WebhookView = z.output<typeof webhookResponse>['webhook'];
export type ScheduleView = NonNullable<z.output<typeof scheduleResponse>['schedule']>;

export type Tone = 'completed' | 'pending' | 'failed' | 'accent' | '';

/** The status badge: Draft = "Not live yet", Active = "Live", Paused = "Paused". */
export function statusWords(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'active':
      return { label: 'Live', tone: 'completed' };
    case 'paused':
      return { label: 'Paused', tone: 'pending' };
    case 'archived':
      return { label: 'Archived', tone: '' };
    default:
      return { label: 'Not live yet', tone: '' };
  }
}

/** True when the latest version is a draft saved after the live one: activating would publish it. */
function hasUnpublishedChanges(a: Pick<AutomationDetail, 'liveVersion' | 'latestVersion'>): boolean {
  return a.latestVersion?.state === 'draft';
}

/** "Live: version 3 · Changes not published yet", "Not published yet", "Live: version 2". */
export function versionLine(a: Pick<AutomationDetail, 'liveVersion' | 'latestVersion'>): string {
  if (a.liveVersion === null) return a.latestVersion ? 'Not published yet' : 'No steps saved yet';
  const live = `Live: version ${a.liveVersion}`;
  return hasUnpublishedChanges(a) ? `${live} · Changes not published yet` : live;
}

/** The Activate button's words for where the automation stands. */
export function activateLabel(a: Pick<AutomationDetail, 'status' | 'liveVersion' | 'latestVersion'>): string {
  if (a.liveVersion === null) return 'Publish and turn on';
  if (hasUnpublishedChanges(a))
    return a.status === 'active' ? 'Publish changes' : 'Publish changes and turn on';
  return 'Turn on again';
}

/** Whether the Activate button has anything to do. */
export function canActivate(a: Pick<AutomationDetail, 'status' | 'latestVersion'>): boolean {
  if (!a.latestVersion) return false;
  return a.status !== 'active' || a.latestVersion.state === 'draft';
}

/** A webhook delivery's status in words; `run` says whether it links to a run. */
export function deliveryWords(d: Pick<Delivery, 'status' | 'reason'>): { label: string; tone: Tone } {
  switch (d.status) {
    case 'started':
      return { label: 'Started a run', tone: 'completed' };
    case 'duplicate':
      return { label: 'Duplicate (already received)', tone: '' };
    case 'filtered':
      return { label: 'Skipped by the filter', tone: 'pending' };
    default:
      return { label: d.reason ? `Refused: ${refusalWords(d.reason)}` : 'Refused', tone: 'failed' };
  }
}

/** Reasons recorded for refused deliveries (the API's messages) as a person reads them. */
const refusals: [RegExp, string][] = [
  [/^The token does not match$/i, 'the secret did not match (was it replaced?)'],
  [/^Missing Authorization/i, 'no secret was sent'],
  [/^No webhook-signature matches/i, 'the signature did not match (was the secret replaced?)'],
  [/^Missing webhook-id/i, 'the call was not signed'],
  [
    /^webhook-timestamp is more than/i,
    'the signature was too old or from the future (check the sender’s clock)',
  ],
  [/^This automation is paused/i, 'the automation was paused'],
  [/^This automation is not active$/i, 'the automation was not turned on yet'],
  [/^This automation is not started by webhooks$/i, 'the live version does not start from a web address'],
];

function refusalWords(reason: string): string {
  return refusals.find(([pattern]) => pattern.test(reason))?.[1] ?? reason;
}

/** Where a delivery's key came from, in words. */
export function keySourceWords(source: Delivery['keySource']): string {
  switch (source) {
    case 'idempotency-key':
      return 'Idempotency-Key header';
    case 'webhook-id':
      return 'webhook-id header';
    case 'payload':
      return 'from the data sent';
    case 'body-hash':
      return 'fingerprint of the data sent';
    default:
      return '';
  }
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const unitWords: Record<string, [string, string]> = {
  s: ['second', 'seconds'],
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
};

/** "90m" -> "90 minutes", "1d" -> "1 day"; other forms as written. */
export function durationWords(value: string): string {
  const m = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (!m) return value;
  const n = Number(m[1]);
  const [one, many] = unitWords[m[2]!]!;
  return `${n} ${n === 1 ? one : many}`;
}

const pad = (n: string) => n.padStart(2, '0');

/** A schedule trigger in words: "Every Monday at 09:00 (Europe/Berlin)", "Every 2 hours". */
export function scheduleWords(trigger: { cron?: string; every?: string; timezone?: string }): string {
  const zone = trigger.timezone ?? 'UTC';
  if (trigger.every) return `Every ${durationWords(trigger.every)}`;
  const cron = (trigger.cron ?? '').trim();
  const macros: Record<string, string> = {
    '@hourly': 'Every hour, on the hour',
    '@daily': 'Every day at midnight',
    '@midnight': 'Every day at midnight',
    '@weekly': 'Every Sunday at midnight',
    '@monthly': 'On the first day of every month at midnight',
    '@yearly': 'Every 1 January at midnight',
    '@annually': 'Every 1 January at midnight',
  };
  if (macros[cron]) return `${macros[cron]} (${zone})`;
  const [minute, hour, dom, month, dow] = cron.split(/\s+/);
  const simple = (v: string | undefined) => v !== undefined && /^\d{1,2}$/.test(v);
  if (simple(minute) && simple(hour) && month === '*') {
    const at = `at ${pad(hour!)}:${pad(minute!)} (${zone})`;
    if (dom === '*' && dow === '*') return `Every day ${at}`;
    if (dom === '*' && dow && /^[0-7](,[0-7])*$/.test(dow)) {
      const days = dow.split(',').map((d) => weekdays[Number(d) % 7]!);
      return `Every ${days.join(', ')} ${at}`;
    }
    if (dom === '*' && dow === '1-5') return `Every weekday ${at}`;
    if (simple(dom) && dow === '*') return `On day ${Number(dom)} of every month ${at}`;
  }
  if (minute === '0' && hour === '*' && dom === '*' && month === '*' && dow === '*')
    return 'Every hour, on the hour';
  return `On the pattern “${cron}” (${zone})`;
}

const eventWords: Record<string, string> = {
  'contact.created': 'a contact is added',
  'contact.tagged': 'a contact gets a new tag',
  'content.approved': 'a piece of content is approved',
  'content.published': 'a piece of content is published on WordPress',
  'email.refused': 'an email is refused for good (bounce or complaint)',
  'bonus.delivered': 'a buyer is emailed their bonus',
};

const transactionWords: Record<string, string> = {
  SALE: 'sale',
  BILL: 'rebill',
  RFND: 'refund',
  CGBK: 'chargeback',
  INSF: 'failed payment',
  'CANCEL-REBILL': 'cancelled subscription',
  'UNCANCEL-REBILL': 'restarted subscription',
  TEST: 'test notification',
  TEST_SALE: 'test sale',
  TEST_BILL: 'test rebill',
  TEST_RFND: 'test refund',
};

/** What starts a ClickBank, event or manual automation, and how to try it, in words. */
export function triggerGuide(trigger: Record<string, unknown>): { starts: string; tryIt: string } {
  switch (trigger.type) {
    case 'clickbank': {
      const types = Array.isArray(trigger.transaction_types)
        ? trigger.transaction_types.map(String)
        : ['SALE'];
      const what = types.map((t) => transactionWords[t] ?? t).join(', ');
      const only = [
        typeof trigger.vendor === 'string' ? `of the vendor ${trigger.vendor}` : '',
        typeof trigger.item === 'string' ? `for item ${trigger.item}` : '',
        typeof trigger.campaign_id === 'string' ? 'for one campaign' : '',
      ]
        .filter(Boolean)
        .join(' ');
      return {
        starts: `ClickBank reports a ${what}${only ? ` ${only}` : ''}. Each notification starts one run.`,
        tryIt:
          'Send a test sale from the ClickBank sandbox (or the Test button in your ClickBank account), or start a test run from the Steps tab.',
      };
    }
    case 'event':
      return {
        starts: `It starts when ${eventWords[String(trigger.event)] ?? String(trigger.event)}${
          trigger.filter ? ', if its condition holds' : ''
        }. Each time starts one run.`,
        tryIt: 'Do that once in Hopflow, or start a test run from the Steps tab.',
      };
    case 'manual':
      return {
        starts: 'Nothing starts it on its own: a run starts only when someone starts one.',
        tryIt: 'Start a test run from the Steps tab.',
      };
    default:
      return { starts: '', tryIt: 'Start a test run from the Steps tab.' };
  }
}

/**
 * A problem the activation found (`definition.steps[1].config.branches[0].steps[0].config.to`) in words:
 * "Step ‘Welcome email’: to: enter an address". The step is the deepest one the path names.
 */
export function problemWords(definition: unknown, path: string, message: string): string {
  const rest = path.replace(/^definition\.?/, '');
  const tokens = rest.match(/[^.[\]]+/g) ?? [];
  let node: unknown = definition;
  let step: Record<string, unknown> | null = null;
  let after: string[] = [];
  for (const token of tokens) {
    const key: string | number = /^\d+$/.test(token) ? Number(token) : token;
    node =
      Array.isArray(node) && typeof key === 'number'
        ? node[key]
        : typeof node === 'object' && node !== null && typeof key === 'string'
          ? (node as Record<string, unknown>)[key]
          : undefined;
    after.push(token);
    if (
      typeof key === 'number' &&
      typeof node === 'object' &&
      node !== null &&
      'type' in node &&
      'id' in node
    ) {
      step = node as Record<string, unknown>;
      after = [];
    }
  }
  const words: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const t = after[i]!;
    if (t === 'branches' && /^\d+$/.test(after[i + 1] ?? '')) words.push(`branch ${Number(after[++i]) + 1}`);
    else if (t === 'when') words.push('condition');
    else if (t !== 'config' && !/^\d+$/.test(t)) words.push(t.replace(/_/g, ' '));
  }
  const field = words.join(' ');
  if (step) {
    const name = typeof step.name === 'string' && step.name ? step.name : String(step.id);
    return field ? `Step ‘${name}’, ${field}: ${message}` : `Step ‘${name}’: ${message}`;
  }
  if (tokens[0] === 'trigger') {
    const inTrigger = field.replace(/^trigger ?/, '');
    return inTrigger ? `Trigger, ${inTrigger}: ${message}` : `Trigger: ${message}`;
  }
  return field ? `The automation, ${field}: ${message}` : `The automation: ${message}`;
}
