import { sampleTriggerPayload } from '../../../lib/automations/sample-payloads';
import type { AutomationDefinition } from './automations';
import { flattenValue, previewValue, scopeFor } from './automation-scope';

const email = (id: string) => ({
  id,
  name: `Email ${id}`,
  type: 'send_email' as const,
  config: { to: '{{ trigger.email }}', subject: 'Hi', body: 'Hello' },
});

const definition = {
  version: 1,
  trigger: { type: 'webhook', auth: { scheme: 'token' } },
  steps: [
    email('welcome'),
    { id: 'first', name: 'Remember', type: 'set_variable', config: { name: 'first', value: 'Ann' } },
    {
      id: 'pick',
      name: 'Choose',
      type: 'branch',
      config: {
        branches: [{ when: 'true', steps: [email('inside'), email('inside_next')] }],
        otherwise: [],
      },
    },
    {
      id: 'loop',
      name: 'Each',
      type: 'for_each',
      config: { items: 'trigger.items', as: 'row', max_items: 10, concurrency: 1, steps: [email('each')] },
    },
    { ...email('last'), on_error: [email('oops')] },
  ],
} as unknown as AutomationDefinition;

const paths = (list: { path: string }[]) => list.map((v) => v.path);

describe('scopeFor', () => {
  const sample = { trigger: { email: 'ann@example.com', name: 'Ann' } };

  it('gives the first step only the trigger and the run', () => {
    const scope = scopeFor(definition, 'steps[0]', sample);
    expect(scope.slice(0, 2)).toEqual([
      { path: 'trigger.email', value: 'ann@example.com', source: 'sample' },
      { path: 'trigger.name', value: 'Ann', source: 'sample' },
    ]);
    expect(paths(scope).some((p) => p.startsWith('steps.'))).toBe(false);
    expect(paths(scope)).toContain('run.id');
  });

  it('gives later steps the outputs of earlier ones and the variables they set', () => {
    const scope = paths(scopeFor(definition, 'steps[2]', sample));
    expect(scope).toContain('steps.welcome.output.message_id');
    expect(scope).toContain('steps.first.output.value');
    expect(scope).toContain('vars.first');
    expect(scope).not.toContain('steps.pick.output.branch');
  });

  it('inside a lane, sees the steps before it there and before its flow step, not the flow step itself', () => {
    const scope = paths(scopeFor(definition, 'steps[2].config.branches[0].steps[1]', sample));
    expect(scope).toContain('steps.inside.output.status');
    expect(scope).toContain('steps.welcome.output.status');
    expect(scope).not.toContain('steps.pick.output.branch');
    expect(scope).not.toContain('steps.inside_next.output.status');
  });

  it('after a flow step sees its output but not the steps of its lanes', () => {
    const scope = paths(scopeFor(definition, 'steps[4]', sample));
    expect(scope).toContain('steps.pick.output.branch');
    expect(scope).toContain('steps.loop.output.count');
    expect(scope).not.toContain('steps.inside.output.status');
    expect(scope).not.toContain('vars.row');
  });

  it('gives a for_each lane its item variable and an on_error lane the error', () => {
    expect(paths(scopeFor(definition, 'steps[3].config.steps[0]', sample))).toContain('vars.row');
    expect(paths(scopeFor(definition, 'steps[4].on_error[0]', sample))).toContain('steps.last.error.message');
  });

  it('shows the last run’s values when the sample has them', () => {
    const scope = scopeFor(definition, 'steps[1]', {
      ...sample,
      steps: { welcome: { output: { message_id: 'm-1', status: 'sent' } } },
    });
    expect(scope.find((v) => v.path === 'steps.welcome.output.message_id')).toEqual({
      path: 'steps.welcome.output.message_id',
      value: 'm-1',
      source: 'last run',
    });
    expect(scope.find((v) => v.path === 'steps.welcome.output.reason')?.value).toBeUndefined();
  });

  it('flattens a real ClickBank sale, lists through their first item', () => {
    const scope = paths(
      scopeFor(definition, 'steps[0]', { trigger: sampleTriggerPayload({ type: 'clickbank' }) }),
    );
    expect(scope).toContain('trigger.customer.email');
    expect(scope).toContain('trigger.line_items');
    expect(scope).toContain('trigger.line_items[0].item_no');
  });

  it('gives nothing of steps for a path that is not there', () => {
    expect(paths(scopeFor(definition, 'steps[9]', sample)).some((p) => p.startsWith('steps.'))).toBe(false);
  });
});

describe('flattenValue and previewValue', () => {
  it('quotes odd keys and stops at a depth', () => {
    expect(paths(flattenValue({ 'first name': 'A' }, 'trigger', 's'))).toEqual(['trigger["first name"]']);
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(flattenValue(deep, 'trigger', 's')).toEqual([
      { path: 'trigger.a.b.c.d', value: { e: 1 }, source: 's' },
    ]);
  });

  it('previews values short and on one line', () => {
    expect(previewValue('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
    expect(previewValue({ a: 1 })).toBe('{"a":1}');
    expect(previewValue(undefined)).toBe('');
  });
});
