import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { runsListeningFor } from '../data/automation-runs';
import { activeEventAutomations } from '../data/automation-triggers';
import { evaluateCondition } from '../lib/automations/expressions';
import { startAutomationRun } from '../temporal/automation-starts';
import type { PlatformEventInput, PlatformEventResult } from '../workflows/contracts/automation-event';
import { eventSignal } from '../workflows/contracts/automation-run';

export interface AutomationEventDeps {
  db: Knex;
  /** The worker's client: the fan-out starts runs and signals waiting ones. */
  temporal?: Client;
}

function clientOf(temporal: Client | undefined): Client {
  if (!temporal) {
    throw ApplicationFailure.nonRetryable(
      'The worker has no Temporal client to start or signal automation runs',
    );
  }
  return temporal;
}

/** The key of the run an event starts in each automation: one run per automation and event. */
const eventRunKey = (type: string, id: string): string => `event:${type}:${id}`;

export function createAutomationEventActivities(deps: AutomationEventDeps) {
  const { db } = deps;
  return {
    /**
     * Starts every active automation of the team triggered by this event whose filter accepts the payload, once
     * per automation and event (run key `event:<type>:<id>`): a retried attempt finds the runs it started.
     * A filter that cannot be evaluated (a missing field) skips its automation and is logged; it never stops the
     * others.
     */
    async startEventAutomations(
      event: PlatformEventInput,
    ): Promise<Pick<PlatformEventResult, 'runs' | 'skipped'>> {
      const client = clientOf(deps.temporal);
      const automations = await activeEventAutomations(db, event.teamId, event.type);
      const runs: PlatformEventResult['runs'] = [];
      const skipped: PlatformEventResult['skipped'] = [];
      for (const a of automations) {
        const filter = typeof a.trigger['filter'] === 'string' ? a.trigger['filter'] : undefined;
        if (filter !== undefined) {
          let accepted: boolean;
          try {
            accepted = evaluateCondition(filter, { trigger: event.payload, steps: {}, vars: {}, run: {} });
          } catch (err) {
            const reason = `the trigger filter failed: ${err instanceof Error ? err.message : String(err)}`;
            log.warn('automation skipped: its event filter failed', {
              automationId: a.id,
              teamId: event.teamId,
              eventType: event.type,
              eventId: event.id,
              reason,
            });
            skipped.push({ automationId: a.id, reason });
            continue;
          }
          if (!accepted) {
            skipped.push({ automationId: a.id, reason: 'the trigger filter gave false' });
            continue;
          }
        }
        const started = await startAutomationRun(client, db, {
          automation: { id: a.id, teamId: a.teamId, name: a.name },
          version: { id: a.versionId, version: a.version, definition: a.definition },
          trigger: { source: 'event', payload: event.payload, key: eventRunKey(event.type, event.id) },
        });
        runs.push({ automationId: a.id, workflowId: started.workflowId, started: started.started });
      }
      return { runs, skipped };
    },

    /**
     * Sends the event to every run of the team still going that waits for this event type. The run buffers it
     * (and ignores an id it has seen), so a retried attempt sending it again does no harm. A run that ended since
     * its row was read is not an error.
     */
    async signalEventListeners(
      event: PlatformEventInput,
    ): Promise<Pick<PlatformEventResult, 'signalled' | 'ended'>> {
      const client = clientOf(deps.temporal);
      const workflowIds = await runsListeningFor(db, event.teamId, event.type);
      const signalled: string[] = [];
      const ended: string[] = [];
      for (const workflowId of workflowIds) {
        try {
          await client.workflow
            .getHandle(workflowId)
            .signal(eventSignal, { type: event.type, id: event.id, payload: event.payload });
          signalled.push(workflowId);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          ended.push(workflowId);
        }
      }
      return { signalled, ended };
    },
  };
}

export type AutomationEventActivities = ReturnType<typeof createAutomationEventActivities>;
