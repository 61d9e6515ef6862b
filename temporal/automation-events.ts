import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
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
  if (!client) {
    warn('platform event not raised: no Temporal client', details);
    return;
  }
  try {
    await emitPlatformEvent(client, event);
  } catch (err) {
    warn('platform event not raised', {
      ...details,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
