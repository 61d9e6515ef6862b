import fc from 'fast-check';
import { validateDefinition } from '../../lib/automations/validate';
import {
  runStateQuery,
  type AutomationRunResult,
  type AutomationRunWorkflow,
} from '../../workflows/contracts/automation-run';
import { seedAutomation, startSeededRun } from '../support/automations';
import { startEmailWorld, uniqueAddress, type EmailWorld } from '../support/email-world';

/**
 * What validation accepts, the interpreter runs: generated definitions (emails, variables, tags, waits, branches and
 * loops, with references to earlier steps) are validated, then run on the real worker with sample data; every run
 * must end succeeded, every step succeeded or skipped.
 */
const kinds = ['email', 'set', 'wait', 'branch', 'each', 'tag'] as const;

const definitions = fc
  .array(fc.record({ kind: fc.constantFrom(...kinds), ref: fc.nat() }), { minLength: 1, maxLength: 6 })
  .map((specs) => {
    const earlier: string[] = [];
    const steps = specs.map(({ kind, ref }, i) => {
      const id = `s${i}`;
      const prev = earlier.length > 0 ? earlier[ref % earlier.length] : undefined;
      // An earlier step's status always exists (skipped steps too); its output may be null.
      const value = prev ? `{{ steps.${prev}.status }}` : '{{ trigger.customer.first_name }}';
      const mail = (mailId: string, body: string) => ({
        id: mailId,
        name: `Mail ${mailId}`,
        type: 'send_email',
        config: { to: '{{ trigger.customer.email }}', subject: `About ${value}`, body },
      });
      earlier.push(id);
      switch (kind) {
        case 'email':
          return mail(id, `Hi {{ trigger.customer.first_name }}, ${value}`);
        case 'set':
          return {
            id,
            name: `Set ${id}`,
            type: 'set_variable',
            config: { name: `v${i}`, value: { copy: value, n: '{{ trigger.amount * 2 }}' } },
          };
        case 'wait':
          return {
            id,
            name: `Wait ${id}`,
            type: 'wait',
            config: { duration: '1s' },
            if: `trigger.amount > ${ref % 20}.0`,
          };
        case 'tag':
          return {
            id,
            name: `Tag ${id}`,
            type: 'tag_contact',
            config: { contact: '{{ trigger.customer.email }}', add: [`t${ref % 5}`] },
          };
        case 'each':
          return {
            id,
            name: `Each ${id}`,
            type: 'for_each',
            config: {
              items: 'trigger.items',
              as: 'row',
              concurrency: (ref % 3) + 1,
              steps: [
                {
                  id: `${id}_set`,
                  name: 'Row',
                  type: 'set_variable',
                  config: { name: 'sku', value: '{{ vars.row.sku }}' },
                },
              ],
            },
          };
        default:
          return {
            id,
            name: `Branch ${id}`,
            type: 'branch',
            config: {
              branches: [{ when: `trigger.amount > ${ref % 20}.0`, steps: [mail(`${id}_yes`, value)] }],
              otherwise: [mail(`${id}_no`, '{{ run.id }}')],
            },
          };
      }
    });
    return { version: 1, trigger: { type: 'manual' }, steps };
  });

describe('generated definitions run', () => {
  jest.setTimeout(180_000);
  let w: EmailWorld;

  beforeAll(async () => {
    w = await startEmailWorld('automation-property');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('every definition validation accepts runs to the end on sample data', async () => {
    const seed = Date.now();
    const samples = fc.sample(definitions, { numRuns: 12, seed });
    const runs = await Promise.all(
      samples.map(async (definition, n) => {
        const checked = validateDefinition(definition);
        expect({ seed, n, problems: checked.problems }).toEqual({ seed, n, problems: [] });
        const automation = await seedAutomation(w.db, { teamId: w.teamId, definition });
        const payload = {
          customer: { email: uniqueAddress(`prop${n}`), first_name: 'Ann' },
          amount: (n * 7) % 20,
          items: [{ sku: 'A' }, { sku: 'B' }, { sku: 'C' }],
        };
        const started = await startSeededRun(w.temporal.client, w.db, automation, { payload });
        return { seed, n, definition, workflowId: started.workflowId };
      }),
    );
    for (const run of runs) {
      const handle = w.temporal.client.workflow.getHandle<AutomationRunWorkflow>(run.workflowId);
      const result: AutomationRunResult = await handle.result();
      const steps = Object.values((await handle.query(runStateQuery)).steps);
      expect({ seed: run.seed, n: run.n, status: result.status }).toEqual({
        seed: run.seed,
        n: run.n,
        status: 'succeeded',
      });
      expect(steps.filter((s) => s.status !== 'succeeded' && s.status !== 'skipped')).toEqual([]);
    }
  });
});
