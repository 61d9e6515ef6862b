import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { PlatformCheckInput, platformCheckWorkflow } from '../workflows/platform-check.workflow';
import { SearchAttr } from './search-attributes';
import { TaskQueue } from './task-queues';

/** Business key: a second start for the same check finds the existing run instead of starting another. */
export const platformCheckWorkflowId = (checkId: string): string => `platform-check:${checkId}`;

/**
 * Starts platformCheckWorkflow as the contract describes (priority queue, business-key ID, search attributes
 * and a readable summary for Temporal Web). Started by name so API processes never load workflow code.
 */
export function startPlatformCheckWorkflow(
  client: Client,
  input: PlatformCheckInput,
): Promise<WorkflowHandle<typeof platformCheckWorkflow>> {
  const searchAttributes: SearchAttributePair[] = [
    { key: SearchAttr.TeamId, value: input.teamId },
    { key: SearchAttr.TriggerSource, value: 'api' },
  ];
  if (input.requestedBy) searchAttributes.push({ key: SearchAttr.UserId, value: input.requestedBy });
  return client.workflow.start<typeof platformCheckWorkflow>('platformCheckWorkflow', {
    taskQueue: TaskQueue.priority,
    workflowId: platformCheckWorkflowId(input.checkId),
    // A check runs once: starting it again (even after it finished) is rejected rather than re-run.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [input],
    typedSearchAttributes: searchAttributes,
    staticSummary: `Platform check ${input.checkId} for team ${input.teamId}`,
    // Nobody waits longer than this for a health check; a stuck run should end, not linger.
    workflowExecutionTimeout: '10 minutes',
  });
}
