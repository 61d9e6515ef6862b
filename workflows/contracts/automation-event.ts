// A platform event (a contact tagged, content published, ...) fanned out to the automations that react to it.

export const AUTOMATION_EVENT_WORKFLOW = 'automationEventWorkflow';

/** One event as the platform raises it; the payload is what `trigger` (or a wait_for_event step) reads. */
export interface PlatformEventInput {
  teamId: string;
  /** One of lib/automations/triggers.ts `platformEvents`, e.g. `contact.tagged`. */
  type: string;
  /** Unique per event of this type in the team: the same id is handled once, however often it is emitted. */
  id: string;
  /** Plain JSON with snake_case fields (docs/automations.md lists each event's payload). */
  payload: unknown;
}

export interface PlatformEventResult {
  /** Automation runs this event started (or found started by an earlier emit: started false). */
  runs: { automationId: string; workflowId: string; started: boolean }[];
  /** Automations whose filter said no, or could not be evaluated (with the reason). */
  skipped: { automationId: string; reason: string }[];
  /** Waiting runs that were sent the event, and those that had ended meanwhile. */
  signalled: string[];
  ended: string[];
}

/**
 * Business key `auto-event:<teamId>:<type>:<key>`: an event emitted twice reaches the same fan-out. The key is
 * the event id made safe for a workflow id by the caller (runKey).
 */
export const automationEventWorkflowId = (teamId: string, type: string, key: string): string =>
  `auto-event:${teamId}:${type}:${key}`;
