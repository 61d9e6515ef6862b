import fc from 'fast-check';
import { ExpressionError } from './expression-error';
import { compileCondition, evaluateTemplate, type ExpressionScope } from './expressions';
import { exampleDefinitions } from './examples';
import { stepTypes } from './steps';
import { validateDefinition } from './validate';

/** Property tests: validation never throws, and what it accepts evaluates over sample data without defects. */

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const expressions = fc.oneof(
  fc.constantFrom(
    'trigger.customer.email',
    'trigger.amount * 2',
    'trigger.items.map(i, i.sku)',
    'size(trigger.items) > 0',
    'run.id',
    'run.nope',
    'steps.a.output.title',
    'steps.f.error.message',
    'vars.x',
    'nope.x',
    '1 +',
    'trigger.__proto__',
    '"}}"',
    '{"a": {"b": 1}}',
    'trigger.items.all(a, trigger.items.all(b, true))',
  ),
  fc.string({ maxLength: 30 }),
);
const templates = fc.oneof(
  fc.string({ maxLength: 20 }),
  expressions.map((e) => `{{ ${e} }}`),
  fc
    .tuple(fc.string({ maxLength: 10 }), expressions, expressions)
    .map(([t, a, b]) => `${t}{{ ${a} }} {{ ${b} }}`),
);
const configKeys = [
  'to',
  'subject',
  'body',
  'duration',
  'until',
  'items',
  'as',
  'steps',
  'branches',
  'otherwise',
  'on_timeout',
  'name',
  'value',
  'contact',
  'sequence_id',
  'campaign_id',
  'event',
  'signal',
  'match',
  'timeout',
  'url',
  'add',
];

/** Definitions of any shape, mostly broken: the step structure is right often enough to reach the deep checks. */
const { definition: anyDefinition } = fc.letrec<{
  step: unknown;
  lane: unknown;
  config: unknown;
  definition: unknown;
}>((tie) => ({
  step: fc.record(
    {
      id: fc.oneof(fc.constantFrom(...ids), fc.anything()),
      name: fc.string({ maxLength: 10 }),
      type: fc.constantFrom(...stepTypes, 'bogus'),
      config: tie('config'),
      if: templates,
      on_error: tie('lane'),
    },
    { requiredKeys: ['id', 'name', 'type', 'config'] },
  ),
  lane: fc.oneof({ maxDepth: 3 }, fc.constant([]), fc.array(tie('step'), { maxLength: 3 })),
  config: fc.dictionary(
    fc.constantFrom(...configKeys),
    fc.oneof(
      templates,
      tie('lane'),
      fc.constantFrom('1d', '400d', 'x@example.com', 'contact.created', 'item', 3, true),
      fc.array(fc.record({ when: templates, steps: tie('lane') }), { maxLength: 2 }),
      fc.anything({ maxDepth: 2 }),
    ),
    { maxKeys: 6 },
  ),
  definition: fc.record({
    version: fc.constantFrom(1, 2, '1'),
    trigger: fc.oneof(
      fc.constant({ type: 'manual' }),
      fc.record({
        type: fc.constant('schedule'),
        cron: fc.constantFrom('0 9 * * 1', '61 * * * *', 'x'),
        timezone: fc.constantFrom('UTC', 'Nowhere/Zone'),
      }),
      fc.record({
        type: fc.constant('event'),
        event: fc.constantFrom('contact.created', 'bogus'),
        filter: templates,
      }),
      fc.anything({ maxDepth: 2 }),
    ),
    steps: fc.oneof(tie('lane'), fc.anything({ maxDepth: 2 })),
  }),
}));

/** Valid definitions by construction: references point at earlier steps on the path. */
const validDefinition = fc
  .array(
    fc.record({ kind: fc.constantFrom('email', 'set', 'wait', 'branch', 'each', 'tag'), ref: fc.nat() }),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((specs) => {
    const earlier: string[] = [];
    const steps = specs.map(({ kind, ref }, i) => {
      const id = `s${i}`;
      const prev = earlier.length > 0 ? earlier[ref % earlier.length] : undefined;
      const value = prev ? `{{ steps.${prev}.output.title }}` : '{{ trigger.customer.email }}';
      const mail = (mailId: string, body: string) => ({
        id: mailId,
        name: mailId,
        type: 'send_email',
        config: { to: '{{ trigger.customer.email }}', subject: `About ${value}`, body },
      });
      const step =
        kind === 'email'
          ? mail(id, `Hi {{ trigger.customer.first_name }}, ${value}`)
          : kind === 'set'
            ? {
                id,
                name: id,
                type: 'set_variable',
                config: { name: `v${i}`, value: { copy: value, n: '{{ trigger.amount * 2 }}' } },
              }
            : kind === 'wait'
              ? {
                  id,
                  name: id,
                  type: 'wait',
                  config: { duration: `${(ref % 365) + 1}d` },
                  if: 'trigger.amount > 1',
                }
              : kind === 'tag'
                ? { id, name: id, type: 'tag_contact', config: { contact: value, add: ['t'] } }
                : kind === 'each'
                  ? {
                      id,
                      name: id,
                      type: 'for_each',
                      config: {
                        items: 'trigger.items',
                        as: 'row',
                        steps: [mail(`${id}_m`, '{{ vars.row.sku }}')],
                      },
                    }
                  : {
                      id,
                      name: id,
                      type: 'branch',
                      config: {
                        branches: [
                          { when: `trigger.amount > ${ref % 100}.0`, steps: [mail(`${id}_yes`, value)] },
                        ],
                        otherwise: [mail(`${id}_no`, '{{ run.id }}')],
                      },
                    };
      earlier.push(id);
      return step;
    });
    return { version: 1, trigger: { type: 'manual' }, steps };
  });

const sample = (definition: unknown): ExpressionScope & { event: unknown } => {
  const stepIds = JSON.stringify(definition).match(/"id":"([a-z][a-z0-9_]*)"/g) ?? [];
  const output = { title: 'Title', id: 'x', decision: 'approve', content_id: 'c1' };
  return {
    trigger: {
      customer: { email: 'a@example.com', first_name: 'Ann' },
      amount: 10,
      items: [{ sku: 'A' }],
      receipt: 'R1',
    },
    steps: Object.fromEntries(stepIds.map((s) => [s.slice(6, -1), { output, error: { message: 'failed' } }])),
    vars: {
      x: 1,
      row: { sku: 'A' },
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`v${i}`, i])),
    },
    run: {
      id: 'run-1',
      automation_id: 'auto-1',
      team_id: 't',
      version: 1,
      started_at: '2026-01-01T00:00:00Z',
    },
    event: { ok: true },
  };
};

const CONDITION_KEYS = new Set(['if', 'when', 'items', 'match', 'filter']);

/** Evaluates every expression in the value; only ExpressionError (a domain error) may come out. */
function evaluateAll(value: unknown, scope: ExpressionScope, key = ''): void {
  if (typeof value === 'string') {
    try {
      if (CONDITION_KEYS.has(key)) compileCondition(value).evaluate(scope);
      else if (value.includes('{{')) evaluateTemplate(value, scope);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
    }
  } else if (Array.isArray(value)) value.forEach((v) => evaluateAll(v, scope));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) evaluateAll(v, scope, k);
  }
}

const checkedWithoutDefect = (input: unknown) => {
  const result = validateDefinition(input);
  expect(result.problems.filter((p) => p.message.startsWith('internal error'))).toEqual([]);
  return result;
};

describe('validateDefinition (properties)', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => void checkedWithoutDefect(input)),
      { numRuns: 300 },
    );
  });

  it('never throws on definitions of nearly the right shape', () => {
    fc.assert(
      fc.property(anyDefinition, (input) => void checkedWithoutDefect(input)),
      { numRuns: 500 },
    );
  });

  it('evaluates what it accepts after random expressions are put into valid definitions', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        validDefinition,
        fc.array(fc.tuple(fc.nat(), templates), { maxLength: 3 }),
        (definition, edits) => {
          for (const [n, template] of edits) replaceNthString(definition, n, template);
          const result = checkedWithoutDefect(definition);
          if (!result.ok) return;
          accepted++;
          // Accepted expressions may still fail on data (a type mismatch), but only with an ExpressionError.
          evaluateAll(result.definition, sample(result.definition));
        },
      ),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(40);
  });

  it('never throws when parts of an example are replaced by anything', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(exampleDefinitions)),
        fc.array(fc.tuple(fc.nat(), fc.anything({ maxDepth: 2 })), { maxLength: 3 }),
        (example, replacements) => {
          const copy = structuredClone(example) as unknown;
          for (const [n, replacement] of replacements) replaceNth(copy, n, replacement);
          checkedWithoutDefect(copy);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts valid definitions, and their expressions evaluate over sample data', () => {
    fc.assert(
      fc.property(validDefinition, (definition) => {
        const result = checkedWithoutDefect(definition);
        expect(result.problems).toEqual([]);
        if (!result.ok) return;
        const scope = sample(definition);
        // Every expression here refers to data the sample has, so none may fail at all.
        evaluateAllStrict(result.definition, scope);
      }),
      { numRuns: 200 },
    );
  });
});

function evaluateAllStrict(value: unknown, scope: ExpressionScope, key = ''): void {
  if (typeof value === 'string') {
    if (CONDITION_KEYS.has(key)) compileCondition(value).evaluate(scope);
    else if (value.includes('{{')) evaluateTemplate(value, scope);
  } else if (Array.isArray(value)) value.forEach((v) => evaluateAllStrict(v, scope));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) evaluateAllStrict(v, scope, k);
  }
}

/** Replaces the n-th string (depth first, modulo the count) inside a JSON-like tree. */
function replaceNthString(root: unknown, n: number, replacement: string): void {
  const slots: [Record<string | number, unknown>, string | number][] = [];
  const visit = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [k, v] of Object.entries(value)) {
      const key = Array.isArray(value) ? Number(k) : k;
      if (typeof v === 'string' && k !== 'id' && k !== 'type')
        slots.push([value as Record<string, unknown>, key]);
      visit(v);
    }
  };
  visit(root);
  const slot = slots[n % Math.max(slots.length, 1)];
  if (slot) slot[0][slot[1]] = replacement;
}

/** Replaces the n-th value (depth first, modulo the count) inside a JSON-like tree. */
function replaceNth(root: unknown, n: number, replacement: unknown): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach((v, i) => (slots.push([value, i]), visit(v)));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        slots.push([value as Record<string, unknown>, k]);
        visit(v);
      }
    }
  };
  visit(root);
  const slot = slots[n % Math.max(slots.length, 1)];
  if (slot) (slot[0] as Record<string | number, unknown>)[slot[1]] = replacement;
}
