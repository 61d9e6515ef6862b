import { ExpressionError } from './expression-error';
import { compileTemplate, evaluateCondition, evaluateTemplate, type ExpressionScope } from './expressions';

const scope: ExpressionScope = {
  trigger: {
    customer: { email: 'ann@example.com', first_name: 'Ann', tags: ['vip', 'keto'] },
    amount: 47.5,
    quantity: 2,
    items: [
      { sku: 'A1', price: 10 },
      { sku: 'B2', price: 32.5 },
    ],
    note: null,
  },
  steps: { draft: { output: { title: 'Keto review', words: 1200 }, status: 'succeeded' } },
  vars: { greeting: 'Hello' },
  run: { id: 'run-1', started_at: '2026-12-06T09:00:00.000Z' },
};

const evaluate = (template: string) => evaluateTemplate(template, scope);
const failure = (template: string): string => {
  try {
    evaluate(template);
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return (error as Error).message;
  }
  throw new Error(`${template} did not fail`);
};

describe('expressions', () => {
  describe('types', () => {
    it('keeps the value of a whole-field expression: text, number, list, object, boolean, null', () => {
      expect(evaluate('{{ trigger.customer.email }}')).toBe('ann@example.com');
      expect(evaluate('{{ trigger.amount }}')).toBe(47.5);
      expect(evaluate('{{ trigger.quantity * 2 }}')).toBe(4);
      expect(evaluate('{{ size(trigger.items) }}')).toBe(2);
      expect(evaluate('{{ trigger.customer.tags }}')).toEqual(['vip', 'keto']);
      expect(evaluate('  {{ steps.draft.output }}  ')).toEqual({ title: 'Keto review', words: 1200 });
      expect(evaluate('{{ "vip" in trigger.customer.tags }}')).toBe(true);
      expect(evaluate('{{ trigger.note }}')).toBeNull();
    });

    it('interpolates text with several expressions; non-text values as JSON', () => {
      expect(evaluate('{{ vars.greeting }}, {{ trigger.customer.first_name }}!')).toBe('Hello, Ann!');
      expect(
        evaluate('Total {{ trigger.amount }} for {{ trigger.customer.tags }}, note {{ trigger.note }}'),
      ).toBe('Total 47.5 for ["vip","keto"], note null');
      expect(evaluate('no expressions here')).toBe('no expressions here');
    });

    it('has macros, string functions, timestamps and map literals', () => {
      expect(evaluate('{{ trigger.items.map(i, i.sku) }}')).toEqual(['A1', 'B2']);
      expect(evaluate('{{ trigger.items.filter(i, i.price > 20).map(i, i.sku) }}')).toEqual(['B2']);
      expect(evaluate('{{ trigger.customer.email.endsWith("@example.com") }}')).toBe(true);
      expect(evaluate('{{ timestamp(run.started_at) + duration("2h") }}')).toBe('2026-12-06T11:00:00.000Z');
      expect(evaluate('{{ {"email": trigger.customer.email, "n": {"x": 1}} }}')).toEqual({
        email: 'ann@example.com',
        n: { x: 1 },
      });
      expect(evaluate('{{ has(trigger.customer.phone) ? trigger.customer.phone : "none" }}')).toBe('none');
    });

    it('evaluates conditions to booleans and refuses anything else', () => {
      expect(evaluateCondition('trigger.amount > 20', scope)).toBe(true);
      expect(evaluateCondition('{{ trigger.quantity == 3 }}', scope)).toBe(false);
      expect(() => evaluateCondition('trigger.amount', scope)).toThrow('gave 47.5, not true or false');
    });
  });

  describe('missing values are errors naming the path', () => {
    it.each([
      ['{{ steps.draft.output.titel }}', 'steps.draft.output.titel is not defined'],
      ['{{ steps.drfat.output.title }}', 'steps.drfat is not defined'],
      ['Hi {{ trigger.customer.last_name }}', 'trigger.customer.last_name is not defined'],
      ['{{ steps["draft"].output.missing }}', 'steps.draft.output.missing is not defined'],
      ['{{ vars.nope }}', 'vars.nope is not defined'],
    ])('%s', (template, message) => {
      expect(failure(template)).toBe(message);
    });

    it('reports type mismatches instead of coercing', () => {
      expect(failure('{{ trigger.customer.email + 1 }}')).toMatch(/no matching overload/);
    });
  });

  describe('sandbox', () => {
    it.each([
      '{{ trigger.__proto__ }}',
      '{{ trigger.constructor }}',
      '{{ trigger["constructor"]["prototype"] }}',
      '{{ trigger.customer.email.constructor }}',
      '{{ trigger.toString }}',
      '{{ steps.draft.output.hasOwnProperty }}',
    ])('%s reaches nothing', (template) => {
      expect(failure(template)).toMatch(/is not defined|no such|not found|no matching/);
    });

    it('sees an own field named __proto__ as plain data, never the prototype', () => {
      const payload = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
      const result = evaluateTemplate('{{ trigger }}', { ...scope, trigger: payload });
      expect(result).toEqual(payload);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('ignores functions and class instances in the scope', () => {
      const trigger = { fn: () => 1, when: new Date('2026-01-01T00:00:00Z') };
      expect(evaluateTemplate('{{ trigger.when }}', { ...scope, trigger })).toBe('2026-01-01T00:00:00.000Z');
      expect(() => evaluateTemplate('{{ trigger.fn }}', { ...scope, trigger })).toThrow(
        'trigger.fn is not defined',
      );
    });
  });

  describe('bounds', () => {
    const many = { ...scope, trigger: { items: Array.from({ length: 10_000 }, (_, i) => i) } };
    const quick = (template: string, s: ExpressionScope = many) => {
      const started = Date.now();
      let error: unknown;
      try {
        evaluateTemplate(template, s);
      } catch (e) {
        error = e;
      }
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(ExpressionError);
      return (error as Error).message;
    };

    it('handles a large list in one pass', () => {
      expect(evaluateTemplate('{{ size(trigger.items.map(i, i * 2)) }}', many)).toBe(10_000);
    });

    it('gives the expressions of one text one budget together, not one each', () => {
      const big = { ...scope, trigger: { items: Array.from({ length: 30_000 }, (_, i) => i) } };
      const one = '{{ size(trigger.items.map(i, i * 2)) }}';
      expect(evaluateTemplate(one, big)).toBe(30_000);
      expect(evaluateTemplate(`a ${one}`, big)).toBe('a 30000');
      expect(quick(`${one} and ${one}`, big)).toMatch(/too much work/);
    });

    it('stops nested macros over large lists quickly', () => {
      expect(quick('{{ trigger.items.all(a, trigger.items.all(b, a >= 0.0)) }}')).toMatch(/too much work/);
      expect(quick('{{ trigger.items.map(a, trigger.items.map(b, a + b)) }}')).toMatch(/too much/);
      expect(quick('{{ trigger.items.map(a, trigger.items + trigger.items) }}')).toMatch(/too much/);
    });

    it('charges functions for the data they read: quadratic membership, repeated scans of a long text', () => {
      expect(quick('{{ trigger.items.filter(x, x in trigger.items) }}')).toMatch(/reads too much data/);
      const long = { ...many, trigger: { items: many.trigger.items, text: 'a'.repeat(3_000_000) } };
      expect(quick('{{ trigger.items.map(i, trigger.text.contains("z")) }}', long)).toMatch(
        /reads too much data/,
      );
      expect(evaluateTemplate('{{ trigger.text.contains("z") }}', long)).toBe(false);
    });

    it('keeps a budget error even where CEL would absorb it (`|| true`)', () => {
      expect(quick('{{ trigger.items.filter(x, x in trigger.items).size() > 0 || true }}')).toMatch(
        /reads too much data/,
      );
    });

    it('refuses deep nesting, long expressions and too many macros inside each other', () => {
      expect(quick(`{{ ${'('.repeat(5_000)}1${')'.repeat(5_000)} }}`)).toMatch(
        /nested too deeply|longer than/,
      );
      expect(quick(`{{ ${'['.repeat(40)}1${']'.repeat(40)} }}`)).toMatch(/nested too deeply/);
      expect(quick(`{{ ${Array(1_500).fill('1').join(' + ')} }}`)).toMatch(/longer than|too long/);
      expect(quick('{{ [1].all(a, [2].all(b, [3].all(c, true))) }}')).toMatch(/nested at most 2 deep/);
    });

    it('runs regular expressions in linear time (RE2)', () => {
      const started = Date.now();
      expect(evaluate(`{{ "${'a'.repeat(40)}!".matches("^(a+)+$") }}`)).toBe(false);
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('refuses a scope that is too large to read', () => {
      const huge = { ...scope, trigger: { text: 'x'.repeat(6_000_000) } };
      expect(quick('{{ size(trigger.text) }}', huge)).toMatch(/too large/);
    });

    it('builds long text only up to a limit', () => {
      const big = { ...scope, trigger: { s: 'x'.repeat(300_000), items: [1, 2, 3, 4, 5] } };
      expect(quick('{{ trigger.items.map(i, trigger.s + trigger.s) }}', big)).toMatch(/too much text/);
    });
  });

  describe('compile', () => {
    it('lists the paths a template refers to, each once, macro variables left out', () => {
      expect(
        compileTemplate(
          '{{ steps.draft.output.title }} {{ trigger.items.filter(i, i.price > vars.min) }} {{ steps.draft.output.title }}',
        ).references,
      ).toEqual(['steps.draft.output.title', 'trigger.items', 'vars.min']);
      expect(compileTemplate('{{ steps["draft"].output }}').references).toEqual(['steps.draft.output']);
    });

    it('caches compiled templates and their syntax errors', () => {
      const template = '{{ trigger.customer.email }} cached';
      expect(compileTemplate(template)).toBe(compileTemplate(template));
      expect(() => compileTemplate('{{ 1 + }}')).toThrow(ExpressionError);
      expect(() => compileTemplate('{{ 1 + }}')).toThrow(/syntax error/);
    });

    it('reads }} inside string literals and map literals as part of the expression', () => {
      expect(evaluate('{{ "}}" + "{{" }}')).toBe('}}{{');
      expect(compileTemplate('{{ {"a": {"b": 1}} }}').kind).toBe('expression');
      expect(() => compileTemplate('{{ }}')).toThrow('an empty {{ }}');
    });
  });
});
