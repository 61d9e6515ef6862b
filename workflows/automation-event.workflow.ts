import { proxyActivities } from '@temporalio/workflow';
import type { AutomationEventActivities } from '../activities/automation-events';
import type { PlatformEventInput, PlatformEventResult } from './contracts/automation-event';
import { databaseStep } from './activity-options';

const { startEventAutomations, signalEventListeners } =
  proxyActivities<AutomationEventActivities>(databaseStep);

/**
 * A platform event fanned out: first to the runs already waiting for it, then to the active automations it
 * triggers. In that order so a run this event starts never receives the event that started it. Started as
 * `auto-event:<teamId>:<type>:<key>` (temporal/automation-events.ts), so an event is handled once.
 */
export async function automationEventWorkflow(input: PlatformEventInput): Promise<PlatformEventResult> {
  const { signalled, ended } = await signalEventListeners.executeWithOptions(
    { summary: `Send ${input.type} to the runs waiting for it` },
    [input],
  );
  const { runs, skipped } = await startEventAutomations.executeWithOptions(
    { summary: `Start the automations triggered by ${input.type}` },
    [input],
  );
  return { runs, skipped, signalled, ended };
}
