import fs from 'node:fs';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { getWorkflowBundle } from '../../temporal/bundle';
import {
  exportedWorkflowNames,
  HISTORIES_DIR,
  latestRunWorkflowType,
  readHistory,
} from '../support/histories';

/**
 * Replays the saved history of one completed run of every workflow (tests/replay/histories/<workflowType>.json,
 * recorded by scripts/record-histories.ts) against the current workflow code. A change that running executions
 * could not replay (a reordered, added or removed activity, timer or handler without patching) fails here, and
 * so does a new workflow without a saved history. The runs kept on purpose in the same folder
 * (`<workflowType>.<what>.json|.bin`) are replayed by the tests that keep them.
 */
describe('workflow replay', () => {
  jest.setTimeout(120_000);

  const saved = fs.readdirSync(HISTORIES_DIR).flatMap((file) => {
    const workflowType = latestRunWorkflowType(file);
    return workflowType ? [{ workflowType, history: readHistory(file) }] : [];
  });

  it('has a saved history for every workflow exported from workflows/index.ts', () => {
    const missing = exportedWorkflowNames().filter((name) => !saved.some((s) => s.workflowType === name));
    expect(missing).toEqual([]);
  });

  it('saves complete runs: each file holds a completed run of the workflow it is named after', () => {
    expect(saved.length).toBeGreaterThan(0);
    for (const { workflowType, history } of saved) {
      const events = history.events ?? [];
      const started = events[0]?.workflowExecutionStartedEventAttributes;
      expect(`${workflowType}: ${started?.workflowType?.name}`).toBe(`${workflowType}: ${workflowType}`);
      expect(`${workflowType}: ${Boolean(events.at(-1)?.workflowExecutionCompletedEventAttributes)}`).toBe(
        `${workflowType}: true`,
      );
    }
  });

  it('replays every saved history on the current workflow code without nondeterminism', async () => {
    const results: ReplayResult[] = [];
    const replay = Worker.runReplayHistories(
      { workflowBundle: await getWorkflowBundle() },
      saved.map(({ workflowType, history }) => ({ workflowId: `replay:${workflowType}`, history })),
    );
    for await (const result of replay) results.push(result);
    expect(results.map((r) => `${r.workflowId}: ${r.error ? String(r.error) : 'ok'}`)).toEqual(
      saved.map(({ workflowType }) => `replay:${workflowType}: ok`),
    );
  });
});
