import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { anyoneListensFor } from '../data/automation-triggers';
import type { ImportedContactChange } from '../data/contact-list';
import { contactCreatedPayload, contactTaggedPayload } from '../lib/automations/platform-events';
import { runKey } from '../lib/automations/walk';
import {
  AUTOMATION_EVENT_WORKFLOW,
  automationEventWorkflowId,
  type PlatformEventInput,
  type PlatformEventResult,
} from '../workflows/contracts/automation-event';
import { SearchAttr } from '../workflows/contracts/search-attributes';
import { TaskQueue } from '../workflows/contracts/task-queues';

type AutomationEventWorkflow = (input: PlatformEventInput) => Promise<PlatformEventResult>;

/**
 * Raises a platform event: starts its fan-out workflow `auto-event:<teamId>:<type>:<runKey(id)>`, which starts the
 * team's active automations triggered by it and signals the runs waiting for it. The id is the event's business
 * key, so an event emitted twice (a retried activity, a repeated request) is handled once: a second emit while
 * the first runs joins it, and after it ended is refused (REJECT_DUPLICATE). Returns whether this call started it.
 */
export async function emitPlatformEvent(
  client: Client,
  event: PlatformEventInput,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = automationEventWorkflowId(event.teamId, event.type, runKey(event.id));
  try {
    await client.workflow.start<AutomationEventWorkflow>(AUTOMATION_EVENT_WORKFLOW, {
      taskQueue: TaskQueue.main,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [event],
      typedSearchAttributes: [
        { key: SearchAttr.TeamId, value: event.teamId },
        { key: SearchAttr.TriggerSource, value: 'event' },
      ],
      staticSummary: `Platform event ${event.type} ${event.id}`,
    });
    return { workflowId, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw err;
  }
}

/** How long raising one event may take before it is given up (and logged). */
const RAISE_DEADLINE_MS = 5_000;

/** How a caller logs an event it could not raise (pino and Temporal's activity log differ in argument order). */
export type EventWarning = (message: string, details: Record<string, unknown>) => void;

/**
 * Raises an event without ever failing the action it reports: the contact is created, the email refused, the
 * bonus sent whatever happens here. An event that cannot be raised (Temporal unreachable or not configured) is
 * logged and lost: automations are told about the platform at most once, never at the cost of the platform.
 * The promise never rejects; callers on a request path may leave it unawaited.
 */
export async function firePlatformEvent(
  client: Client | null | undefined,
  event: PlatformEventInput,
  warn: EventWarning,
): Promise<void> {
  const details = { teamId: event.teamId, eventType: event.type, eventId: event.id };
  const report = (message: string, extra: Record<string, unknown> = {}) => {
    try {
      warn(message, { ...details, ...extra });
    } catch {
      // A logger that cannot log (an activity's log outside an activity) must not fail the action either.
    }
  };
  if (!client) {
    report('platform event not raised: no Temporal client');
    return;
  }
  try {
    // A Temporal that does not answer must not hold up the action (activities wait for this call).
    await client.withDeadline(Date.now() + RAISE_DEADLINE_MS, () => emitPlatformEvent(client, event));
  } catch (err) {
    report('platform event not raised', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** Events raised at once by a bulk action: enough to keep Temporal busy, few enough not to flood it. */
const BULK_EVENT_CONCURRENCY = 16;

/**
 * `contact.created` and `contact.tagged` for the contacts of an import piece, after it committed. A 50,000-row
 * import must not start 100,000 fan-outs nobody listens to: each event type is raised only when an active
 * automation of the team is triggered by it or a run still going waits for it (one query per type and piece);
 * then every change is raised, 16 at a time. `contact.created` is keyed on the contact (created once),
 * `contact.tagged` on the import and contact, so a retried piece raises nothing twice. Never throws. The
 * returned `raise` starts the events: awaited by activities, left running by the API (the listener check is
 * done by then, so the request's database work is over when it answers).
 */
export async function importedContactEvents(
  client: Client | null | undefined,
  db: Knex,
  s: { teamId: string; importKey: string; changes: readonly ImportedContactChange[] },
  warn: EventWarning,
): Promise<{ count: number; raise: () => Promise<void> }> {
  const events: PlatformEventInput[] = [];
  try {
    if (s.changes.some((c) => c.created) && (await anyoneListensFor(db, s.teamId, 'contact.created'))) {
      for (const c of s.changes.filter((x) => x.created)) {
        events.push({
          teamId: s.teamId,
          type: 'contact.created',
          id: c.contact.id,
          payload: contactCreatedPayload(c.contact, 'import'),
        });
      }
    }
    if (
      s.changes.some((c) => c.tagsAdded.length > 0) &&
      (await anyoneListensFor(db, s.teamId, 'contact.tagged'))
    ) {
      for (const c of s.changes.filter((x) => x.tagsAdded.length > 0)) {
        events.push({
          teamId: s.teamId,
          type: 'contact.tagged',
          id: `${s.importKey}:${c.contact.id}`,
          payload: contactTaggedPayload(c.contact, c.tagsAdded, 'import'),
        });
      }
    }
  } catch (err) {
    try {
      warn('imported contact events not raised', {
        teamId: s.teamId,
        importKey: s.importKey,
        error: err instanceof Error ? err.message : String(err),
      });
    } catch {
      // see firePlatformEvent
    }
    events.length = 0;
  }
  return {
    count: events.length,
    async raise() {
      for (let i = 0; i < events.length; i += BULK_EVENT_CONCURRENCY) {
        await Promise.all(
          events.slice(i, i + BULK_EVENT_CONCURRENCY).map((e) => firePlatformEvent(client, e, warn)),
        );
      }
    },
  };
}
