import fs from 'node:fs';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { automationTemplates } from '../../lib/automations/gallery';
import { getWorkflowBundle } from '../../temporal/bundle';
import { AUTOMATION_RUN_WORKFLOW } from '../../workflows/contracts/automation-run';
import { HISTORIES_DIR, readHistory } from '../support/histories';

/**
 * The replay guard of the interpreter: a completed run of every template of the gallery (recorded by
 * automation-templates.test.ts with RECORD_TEMPLATE_HISTORIES=1) replays on the current workflow bundle. A change
 * to workflows/automation-interpreter.ts that running runs could not replay (a reordered or added activity,
 * timer, child or condition without `patched()`) fails here; so does a template without a saved run.
 */
const file = (templateId: string) => `${AUTOMATION_RUN_WORKFLOW}.template-${templateId}.json`;

describe('automation run replay: one saved run per template', () => {
  jest.setTimeout(120_000);

  it('has a saved run for every template in the gallery, and none for templates that are gone', () => {
    const saved = fs
      .readdirSync(HISTORIES_DIR)
      .filter((f) => f.startsWith(`${AUTOMATION_RUN_WORKFLOW}.template-`))
      .sort();
    expect(saved).toEqual(automationTemplates.map((t) => file(t.id)).sort());
  });

  it('each is a completed run of the interpreter', () => {
    for (const t of automationTemplates) {
      const events = readHistory(file(t.id)).events ?? [];
      const started = events[0]?.workflowExecutionStartedEventAttributes;
      expect(`${t.id}: ${started?.workflowType?.name}`).toBe(`${t.id}: ${AUTOMATION_RUN_WORKFLOW}`);
      expect(`${t.id}: ${Boolean(events.at(-1)?.workflowExecutionCompletedEventAttributes)}`).toBe(
        `${t.id}: true`,
      );
    }
  });

  it('replays every one on the current workflow code without nondeterminism', async () => {
    const results: ReplayResult[] = [];
    const replay = Worker.runReplayHistories(
      { workflowBundle: await getWorkflowBundle() },
      automationTemplates.map((t) => ({
        workflowId: `replay:template-${t.id}`,
        history: readHistory(file(t.id)),
      })),
    );
    for await (const result of replay) results.push(result);
    expect(results.map((r) => `${r.workflowId}: ${r.error ? String(r.error) : 'ok'}`)).toEqual(
      automationTemplates.map((t) => `replay:template-${t.id}: ok`),
    );
  });
});
