import { exampleDefinitions } from './examples';
import { validateDefinition, type DefinitionProblem } from './validate';

const manual = (steps: unknown[], trigger: unknown = { type: 'manual' }) => ({ version: 1, trigger, steps });
const email = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  type: 'send_email',
  config: { to: 'a@example.com', subject: 'Hi', body: 'Hello', ...extra },
});

function problems(def: unknown): DefinitionProblem[] {
  const result = validateDefinition(def);
  expect(result.ok).toBe(result.problems.length === 0);
  return result.problems;
}

const at = (def: unknown, path: string) =>
  problems(def)
    .filter((p) => p.path === path)
    .map((p) => p.message);

describe('validateDefinition', () => {
  it('never throws on junk', () => {
    for (const junk of [
      null,
      undefined,
      42,
      'text',
      [],
      {},
      { steps: 'x' },
      { steps: [null, 1, [], { config: 5 }] },
    ]) {
      expect(() => validateDefinition(junk)).not.toThrow();
      expect(validateDefinition(junk).ok).toBe(false);
    }
  });

  it('reports an unknown trigger type, a wrong version and an empty step list', () => {
    expect(problems({ version: 2, trigger: { type: 'carrier_pigeon' }, steps: [] })).toEqual([
      { path: 'version', message: 'the definition format version: 1' },
      { path: 'trigger.type', message: 'a trigger type: webhook, schedule, clickbank, event or manual' },
      { path: 'steps', message: 'add at least one step' },
    ]);
  });

  it('reports an unknown step type at the step', () => {
    const [message] = at(
      manual([{ id: 'a', name: 'A', type: 'launch_rocket', config: {} }]),
      'steps[0].type',
    );
    expect(message).toMatch(/a step type: generate_content, send_email/);
  });

  it('reports missing and wrong config fields with their paths', () => {
    const def = manual([
      email('ok'),
      { id: 'b', name: 'B', type: 'send_email', config: { to: 'not an email', subject: 'Hi' } },
      { id: 'c', name: 'C', type: 'tag_contact', config: { contact: 'x@example.com', colour: 'red' } },
      email('d', { subject: 'Two\nlines' }),
    ]);
    expect(at(def, 'steps[1].config.to')).toEqual(['an email address or a {{ }} expression giving one']);
    expect(at(def, 'steps[1].config.body')).toEqual(['required']);
    expect(at(def, 'steps[2].config')).toEqual(['unknown field "colour"']);
    expect(at(def, 'steps[2].config.add')).toEqual(['add or remove at least one tag']);
    expect(at(def, 'steps[3].config.subject')).toEqual(['a subject is one line']);
  });

  it('reports bad expression syntax', () => {
    const def = manual([
      email('a', { subject: 'Hi {{ trigger.name + }}' }),
      email('b', { body: 'Hi {{ trigger.name' }),
    ]);
    expect(at(def, 'steps[0].config.subject')[0]).toMatch(/^bad expression: syntax error/);
    expect(at(def, 'steps[1].config.body')).toEqual(['bad expression: "{{" without a closing "}}"']);
  });

  it('reports a reference to a step that does not exist, runs later, or is itself', () => {
    const def = manual([
      email('first', { subject: '{{ steps.second.output.id }}' }),
      email('second', { body: '{{ steps.nowhere.output }}' }),
      email('third', { body: '{{ steps.third.output }} {{ steps.first.output.id }}' }),
    ]);
    expect(at(def, 'steps[0].config.subject')).toEqual([
      'step "second" does not run before this one (only earlier steps on the same path can be used)',
    ]);
    expect(at(def, 'steps[1].config.body')).toEqual(['there is no step "nowhere"']);
    expect(at(def, 'steps[2].config.body')).toEqual([
      'step "third" refers to its own result (it has none yet)',
    ]);
  });

  it('lets a branch lane see earlier steps on its path only', () => {
    const def = manual([
      email('before'),
      {
        id: 'split',
        name: 'Split',
        type: 'branch',
        config: {
          branches: [
            { when: 'trigger.vip', steps: [email('vip_mail', { body: '{{ steps.before.output.id }}' })] },
          ],
          otherwise: [email('other_mail', { body: '{{ steps.vip_mail.output.id }}' })],
        },
      },
      email('after', { body: '{{ steps.vip_mail.output.id }} {{ steps.split.output }}' }),
    ]);
    expect(problems(def)).toEqual([
      {
        path: 'steps[1].config.otherwise[0].config.body',
        message:
          'step "vip_mail" does not run before this one (only earlier steps on the same path can be used)',
      },
      {
        path: 'steps[2].config.body',
        message:
          'step "vip_mail" does not run before this one (only earlier steps on the same path can be used)',
      },
    ]);
  });

  it('reports undefined variables and names outside the scope', () => {
    const def = manual([
      email('a', { body: '{{ vars.greeting }}' }),
      { id: 'set', name: 'Set', type: 'set_variable', config: { name: 'greeting', value: 'Hi' } },
      email('b', { body: '{{ vars.greeting }} {{ vars.missing }} {{ first_name }} {{ run.owner }}' }),
    ]);
    expect(at(def, 'steps[0].config.body')).toEqual([
      'variable "greeting" is not set before this point on every path (set it earlier, before any branch)',
    ]);
    expect(at(def, 'steps[2].config.body')).toEqual([
      'no set_variable step sets "missing"',
      'unknown name "first_name": expressions here start with trigger, steps, vars, run',
      'run has no field "owner"; use one of id, automation_id, team_id, version, started_at',
    ]);
  });

  it('sees a for_each item only inside its lane, and a failed step only in its on_error lane', () => {
    const def = manual([
      {
        id: 'each',
        name: 'Each',
        type: 'for_each',
        config: {
          items: '{{ trigger.items }}',
          as: 'row',
          steps: [email('row_mail', { body: '{{ vars.row.name }}' })],
        },
        on_error: [email('oops', { body: '{{ steps.each.error.message }}' })],
      },
      email('after', { body: '{{ vars.row }}' }),
    ]);
    expect(problems(def)).toEqual([
      {
        path: 'steps[1].config.body',
        message:
          'variable "row" is not set before this point on every path (set it earlier, before any branch)',
      },
    ]);
  });

  it('reports duplicate step ids across nested lanes', () => {
    const def = manual([
      email('same'),
      {
        id: 'split',
        name: 'Split',
        type: 'branch',
        config: { branches: [{ when: 'true', steps: [email('same')] }] },
      },
    ]);
    expect(at(def, 'steps[1].config.branches[0].steps[0].id')).toEqual([
      'duplicate step id "same" (also at steps[0])',
    ]);
  });

  it('refuses waits and timeouts longer than a year', () => {
    const def = manual([
      { id: 'w', name: 'W', type: 'wait', config: { duration: '366d' } },
      { id: 'e', name: 'E', type: 'wait_for_event', config: { event: 'contact.created', timeout: '53w' } },
      { id: 'x', name: 'X', type: 'wait', config: { duration: 'soon' } },
    ]);
    expect(at(def, 'steps[0].config.duration')).toEqual(['at most 365 days']);
    expect(at(def, 'steps[1].config.timeout')).toEqual(['at most 365 days']);
    expect(at(def, 'steps[2].config.duration')).toEqual(['a duration such as 30s, 15m, 2h, 7d or 1h30m']);
  });

  it('reports a bad cron, a bad time zone and a schedule with both cron and every', () => {
    expect(at(manual([email('a')], { type: 'schedule', cron: '61 * * * *' }), 'trigger.cron')[0]).toMatch(
      /not a valid cron expression/,
    );
    expect(at(manual([email('a')], { type: 'schedule', cron: '0 9 * *' }), 'trigger.cron')[0]).toMatch(
      /five fields/,
    );
    expect(
      at(
        manual([email('a')], { type: 'schedule', every: '1h', timezone: 'Mars/Olympus' }),
        'trigger.timezone',
      ),
    ).toEqual(['unknown time zone "Mars/Olympus": use an IANA name such as Europe/Berlin']);
    expect(
      at(manual([email('a')], { type: 'schedule', cron: '0 9 * * *', every: '1h' }), 'trigger.cron'),
    ).toEqual(['give either cron or every']);
  });

  it('checks a trigger filter sees the payload only', () => {
    const def = manual([email('a')], { type: 'event', event: 'contact.tagged', filter: 'steps.a.output.ok' });
    expect(at(def, 'trigger.filter')).toEqual(['unknown name "steps": expressions here start with trigger']);
  });

  it('checks conditions, list expressions, wait_until dates and wait_for_event matches', () => {
    const def = manual([
      { ...email('a'), if: '{{ trigger.a }} and {{ trigger.b }}' },
      { id: 'u', name: 'U', type: 'wait_until', config: { until: 'next tuesday' } },
      {
        id: 'e',
        name: 'E',
        type: 'wait_for_event',
        config: { signal: 'go', match: 'event.ok && steps.e.output', timeout: '1h' },
      },
      { id: 'f', name: 'F', type: 'for_each', config: { items: 'trigger.items.map(', steps: [] } },
      { id: 'local', name: 'Local', type: 'wait_until', config: { until: '2027-01-15T09:00:00' } },
    ]);
    expect(at(def, 'steps[0].if')).toEqual([
      'bad expression: a condition is one expression, not text with several {{ }}',
    ]);
    expect(at(def, 'steps[1].config.until')[0]).toMatch(/ISO date-time/);
    expect(at(def, 'steps[2].config.match')).toEqual(['step "e" refers to its own result (it has none yet)']);
    expect(at(def, 'steps[3].config.items')[0]).toMatch(/^bad expression: syntax error/);
    expect(at(def, 'steps[4].config.until')[0]).toMatch(/with its offset/);
  });

  it('reports the problems of every step, not only the first', () => {
    const def = structuredClone(exampleDefinitions.sale) as { steps: { config: Record<string, unknown> }[] };
    def.steps[0]!.config.email = 'nope';
    def.steps[2]!.config.contact = '{{ steps.later.output }}';
    expect(problems(def).map((p) => p.path)).toEqual(['steps[0].config.email', 'steps[2].config.contact']);
  });

  it('has no cycles to report: there is no goto, and a reference to oneself or a later step is refused', () => {
    const def = manual([
      email('a', { body: '{{ steps.b.output }}' }),
      email('b', { body: '{{ steps.a.output }}' }),
    ]);
    expect(problems(def)).toEqual([
      {
        path: 'steps[0].config.body',
        message: 'step "b" does not run before this one (only earlier steps on the same path can be used)',
      },
    ]);
  });
});

describe('waits inside large loops', () => {
  const loop = (maxItems: number) => ({
    version: 1,
    trigger: { type: 'manual' },
    steps: [
      {
        id: 'each',
        name: 'Each',
        type: 'for_each',
        config: {
          items: 'trigger.list',
          max_items: maxItems,
          steps: [
            {
              id: 'ask',
              name: 'Ask',
              type: 'wait_for_approval',
              config: { approvers: { roles: ['editor'] } },
            },
          ],
        },
      },
    ],
  });

  it('refuses an approval or event wait in a loop that runs in child runs, naming the step', () => {
    expect(validateDefinition(loop(26)).problems).toEqual([
      {
        path: 'steps[0].config.steps[0].type',
        message:
          'a loop of more than 25 items (max_items) runs in parts that events and approvals cannot reach: set max_items to 25 or less, or move this step out of the loop',
      },
    ]);
  });

  it('accepts it in a loop of at most 25 items', () => {
    expect(validateDefinition(loop(25)).problems).toEqual([]);
  });
});
