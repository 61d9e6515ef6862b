import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { getWorkflowBundle } from '../../temporal/bundle';
import { readHistory } from '../support/histories';

const { EventType } = temporal.api.enums.v1;

/**
 * Replays the saved history of one completed content pipeline run (create -> revise with notes -> approve ->
 * published) against the current workflow code with Worker.runReplayHistories: a change that would break
 * running executions fails here. Refresh the history on purpose with SAVE_REPLAY_HISTORY=1 on
 * content-pipeline.test.ts (saved as binary protobuf in tests/replay/histories/).
 */
describe('content pipeline replay', () => {
  const history = readHistory('contentPipelineWorkflow.revise-approve.bin');

  it('is a full journey: reviewed twice (revise, approve) and completed', () => {
    const types = (history.events ?? []).map((e) => e.eventType);
    expect(types[0]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    expect(types.filter((t) => t === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(
      2,
    );
  });

  it('replays without nondeterminism on the current workflow code', async () => {
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await getWorkflowBundle() }, [
      { workflowId: 'content:saved', history },
    ])) {
      results.push(result);
    }
    expect(results).toHaveLength(1);
    expect(results[0]?.error).toBeUndefined();
  });
});
