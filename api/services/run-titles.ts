/**
 * A run's title in a marketer's words ("Review article for Keto spring push", "Welcome sequence for
 * ana@example.com"), built from its workflow type and id plus the names those ids point at. The names are
 * looked up by the caller within the run's team, so another team's names never reach a title.
 */

/** What a run is about, read from its workflow type and business key. */
export type RunSubject =
  | { kind: 'content'; contentId: string }
  | { kind: 'sequence'; sequenceId: string; contactId: string }
  | { kind: 'broadcast'; broadcastId: string }
  | { kind: 'automation'; automationId: string }
  | { kind: 'insight'; day: string | null }
  | { kind: 'clickbank'; transaction: string | null; receipt: string | null }
  | { kind: 'bonus-delivery' | 'bonus-revocation'; receipt: string | null }
  | {
      kind: 'contact-import' | 'platform-check' | 'catalog-sync' | 'backup' | 'insights-all' | 'bonus-test';
    }
  | { kind: 'automation-event'; event: string | null; contactId: string | null; contentId: string | null }
  | { kind: 'other' };

/** The names a title may use, each keyed by id and already limited to the run's team. */
export interface RunNames {
  content: Map<string, { type: string; title: string; campaignName: string | null; status: string }>;
  sequences: Map<string, string>;
  contacts: Map<string, string>;
  broadcasts: Map<string, string>;
  automations: Map<string, string>;
}

export const emptyRunNames = (): RunNames => ({
  content: new Map(),
  sequences: new Map(),
  contacts: new Map(),
  broadcasts: new Map(),
  automations: new Map(),
});

const contentTypeWords: Record<string, string> = {
  review_article: 'Review article',
  email: 'Email',
  social_post: 'Social post',
  landing_page: 'Landing page copy',
};

const transactionWords: Record<string, string> = {
  SALE: 'sale',
  BILL: 'rebill',
  RFND: 'refund',
  CGBK: 'chargeback',
  INSF: 'failed payment',
  CANCEL_REBILL: 'cancelled rebill',
  UNCANCEL_REBILL: 'restarted rebill',
  TEST: 'test sale',
  TEST_SALE: 'test sale',
  TEST_BILL: 'test rebill',
  TEST_RFND: 'test refund',
};

/** `prefix:rest` -> the parts after the prefix, or null when the id has another shape. */
function partsAfter(workflowId: string, prefix: string): string[] | null {
  if (!workflowId.startsWith(`${prefix}:`)) return null;
  return workflowId.slice(prefix.length + 1).split(':');
}

/** Platform events in a marketer's words (never `contact.created`). */
const eventWords: Record<string, string> = {
  'contact.created': 'New contact',
  'contact.tagged': 'Contact tagged',
  'content.approved': 'Content approved',
  'content.published': 'Content published',
  'email.refused': 'Email refused',
  'bonus.delivered': 'Bonus delivered',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event's bookkeeping run: the event from the summary set at start (`Platform event <type> <id>`), else from
 * the id `auto-event:<teamId>:<type>:<key>`; the event id names the contact or content it is about when it can.
 */
function automationEventSubject(workflowId: string, summary: string | null): RunSubject {
  const match = /^Platform event (\S+) (\S+)/.exec(summary ?? '');
  const event = match?.[1] ?? partsAfter(workflowId, 'auto-event')?.[1] ?? null;
  const parts = (match?.[2] ?? '').split(':');
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  const contactId =
    event === 'contact.created' && UUID.test(first)
      ? first
      : event === 'contact.tagged' && UUID.test(last)
        ? last
        : null;
  const contentId = event?.startsWith('content.') && UUID.test(first) ? first : null;
  return { kind: 'automation-event', event, contactId, contentId };
}

/** The words for a platform event type ("contact.created" -> "New contact"); an unknown one reads "Event". */
function eventLabel(event: string | null): string {
  return (event && eventWords[event]) ?? 'Event';
}

/** The workflow type says what kind of run it is; the id carries the records it works on. */
export function runSubject(type: string, workflowId: string, summary: string | null): RunSubject {
  switch (type) {
    case 'contentPipelineWorkflow': {
      const [contentId] = partsAfter(workflowId, 'content') ?? [];
      return contentId ? { kind: 'content', contentId } : { kind: 'other' };
    }
    case 'emailSequenceWorkflow': {
      const [sequenceId, contactId] = partsAfter(workflowId, 'seq') ?? [];
      return sequenceId && contactId ? { kind: 'sequence', sequenceId, contactId } : { kind: 'other' };
    }
    case 'broadcastWorkflow': {
      const [broadcastId] = partsAfter(workflowId, 'broadcast') ?? [];
      return broadcastId ? { kind: 'broadcast', broadcastId } : { kind: 'other' };
    }
    case 'automationRunWorkflow': {
      const [automationId] = partsAfter(workflowId, 'auto') ?? [];
      return automationId ? { kind: 'automation', automationId } : { kind: 'other' };
    }
    case 'teamInsightsWorkflow': {
      const day = /(\d{4}-\d{2}-\d{2})$/.exec(workflowId)?.[1] ?? null;
      return { kind: 'insight', day };
    }
    case 'clickbankNotificationWorkflow': {
      // The summary set at start: `ClickBank <TRANSACTION> <receipt> for team …`.
      const match = /^ClickBank (\S+) (\S+)/.exec(summary ?? '');
      return { kind: 'clickbank', transaction: match?.[1] ?? null, receipt: match?.[2] ?? null };
    }
    case 'bonusDeliveryWorkflow':
      return { kind: 'bonus-delivery', receipt: partsAfter(workflowId, 'bonus')?.[0] ?? null };
    case 'bonusTestDeliveryWorkflow':
      return { kind: 'bonus-test' };
    case 'bonusRevocationWorkflow':
      return { kind: 'bonus-revocation', receipt: partsAfter(workflowId, 'bonus-revoke')?.[0] ?? null };
    case 'contactImportWorkflow':
      return { kind: 'contact-import' };
    case 'platformCheckWorkflow':
      return { kind: 'platform-check' };
    case 'automationEventWorkflow':
      return automationEventSubject(workflowId, summary);
    case 'catalogSyncWorkflow':
      return { kind: 'catalog-sync' };
    case 'backupWorkflow':
      return { kind: 'backup' };
    case 'insightsDispatchWorkflow':
      return { kind: 'insights-all' };
    default:
      return { kind: 'other' };
  }
}

/** "2026-12-05" -> "Dec 5, 2026" (a calendar day, so read in UTC). */
function dayWords(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

/** "Welcome" -> "Welcome sequence"; "Welcome sequence" stays as it is. */
function sequenceWords(name: string): string {
  return /\bsequence$/i.test(name.trim()) ? name.trim() : `${name.trim()} sequence`;
}

/** The run's title in plain words; never an id or a workflow type name. */
export function runTitle(subject: RunSubject, names: RunNames): string {
  switch (subject.kind) {
    case 'content': {
      const c = names.content.get(subject.contentId);
      if (!c) return 'Content draft';
      const what = contentTypeWords[c.type] ?? 'Content';
      return c.campaignName ? `${what} for ${c.campaignName}` : `${what} “${c.title}”`;
    }
    case 'sequence': {
      const name = names.sequences.get(subject.sequenceId);
      const email = names.contacts.get(subject.contactId);
      const what = name ? sequenceWords(name) : 'Email sequence';
      return email ? `${what} for ${email}` : what;
    }
    case 'broadcast': {
      const name = names.broadcasts.get(subject.broadcastId);
      return name ? `Broadcast “${name}”` : 'Broadcast';
    }
    case 'automation': {
      const name = names.automations.get(subject.automationId);
      return name ? `Automation “${name}”` : 'Automation run';
    }
    case 'insight':
      return subject.day ? `Nightly insight for ${dayWords(subject.day)}` : 'Nightly insight';
    case 'clickbank': {
      const what = subject.transaction
        ? (transactionWords[subject.transaction.toUpperCase()] ?? 'notification')
        : 'notification';
      return subject.receipt ? `ClickBank ${what}, receipt ${subject.receipt}` : `ClickBank ${what}`;
    }
    case 'bonus-delivery':
      return subject.receipt ? `Bonus delivery for receipt ${subject.receipt}` : 'Bonus delivery';
    case 'bonus-revocation':
      return subject.receipt ? `Bonus withdrawal for receipt ${subject.receipt}` : 'Bonus withdrawal';
    case 'bonus-test':
      return 'Bonus test email to you';
    case 'contact-import':
      return 'Contact import';
    case 'platform-check':
      return 'Platform check';
    case 'automation-event': {
      const email = subject.contactId ? names.contacts.get(subject.contactId) : undefined;
      const content = subject.contentId ? names.content.get(subject.contentId) : undefined;
      const about = email ? ` ${email}` : content ? ` “${content.title}”` : '';
      return `${eventLabel(subject.event)}${about}: checked automations`;
    }
    case 'catalog-sync':
      return 'Product sync';
    case 'backup':
      return 'Backup';
    case 'insights-all':
      return 'Nightly insights for every team';
    default:
      return 'Background task';
  }
}

/** A running content run whose draft waits for a person says so instead of a bare "Running". */
export function runWaitingFor(subject: RunSubject, names: RunNames): string | null {
  if (subject.kind !== 'content') return null;
  const status = names.content.get(subject.contentId)?.status;
  return status === 'awaiting_review' ? 'Waiting for review' : null;
}
