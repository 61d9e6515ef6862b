import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { AutomationActionActivities } from '../../../activities/automation-actions';
import {
  CONTENT_PIPELINE_WORKFLOW,
  contentWorkflowId,
  type ContentPipelineInput,
  type ContentPipelineResult,
} from '../../../workflows/contracts/content-pipeline';
import { SearchAttr } from '../../../workflows/contracts/search-attributes';
import { TaskQueue } from '../../../workflows/contracts/task-queues';

/**
 * Test-only workflow: what the interpreter does for generate_content followed by publish_wordpress. The content
 * row, the pipeline as a child `content:<id>` with input `{ contentId, teamId }`, the wait for its draft, then
 * the publish step approving it through the pipeline's review update.
 */
export interface AutomationContentTestInput {
  teamId: string;
  campaignId: string;
}

const { prepareAutomationContent, runAutomationAction } = proxyActivities<AutomationActionActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});
const { awaitAutomationContent } = proxyActivities<AutomationActionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 3 },
});

export async function automationContentTestWorkflow(input: AutomationContentTestInput) {
  const { workflowId } = workflowInfo();
  const { teamId } = input;
  const scope = { trigger: { campaign: input.campaignId }, steps: {}, vars: {}, run: {} };
  const prepared = await prepareAutomationContent({
    teamId,
    workflowId,
    stepKey: 'draft',
    step: {
      id: 'draft',
      name: 'Draft',
      type: 'generate_content',
      config: { campaign_id: '{{ trigger.campaign }}', type: 'review_article', length: 'short' },
    },
    scope,
  });
  const child = await startChild<(i: ContentPipelineInput) => Promise<ContentPipelineResult>>(
    CONTENT_PIPELINE_WORKFLOW,
    {
      workflowId: contentWorkflowId(prepared.contentId),
      taskQueue: TaskQueue.main,
      args: [{ contentId: prepared.contentId, teamId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: SearchAttr.TeamId, value: teamId },
        { key: SearchAttr.CampaignId, value: prepared.campaignId },
        { key: SearchAttr.ContentId, value: prepared.contentId },
        { key: SearchAttr.TriggerSource, value: 'automation' },
      ],
      staticSummary: prepared.summary,
    },
  );
  const draft = await awaitAutomationContent({ teamId, contentId: prepared.contentId, until: 'draft' });
  const publish = await runAutomationAction({
    teamId,
    automationId: 'test',
    workflowId,
    stepKey: 'publish',
    step: {
      id: 'publish',
      name: 'Publish',
      type: 'publish_wordpress',
      config: { content_id: '{{ steps.draft.output.content_id }}' },
    },
    scope: { ...scope, steps: { draft: { output: draft } } },
  });
  const result = await child.result();
  return { prepared, draft, publish: publish.output, result };
}
