import { ExpressionError } from './expression-error';
import type { ExpressionScope } from './expressions';
import { ConfigFieldError, resolveConfig } from './resolve-config';

const scope: ExpressionScope = {
  trigger: { email: 'ann@example.com', id: 42, items: ['a', 'b'], nested: { ok: true } },
  steps: { draft: { output: { title: 'Keto review' } } },
  vars: { first: 'Ann' },
  run: { id: 'auto:x:1' },
};

function failure(work: () => unknown): ConfigFieldError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigFieldError) return error;
    throw error;
  }
  throw new Error('expected a ConfigFieldError');
}

describe('resolveConfig', () => {
  it('evaluates strings in objects and arrays, keeping whole-expression types', () => {
    const config = {
      to: '{{ trigger.email }}',
      subject: 'Hi {{ vars.first }}, about {{ steps.draft.output.title }}',
      plain: 'no expressions here',
      count: 3,
      flag: false,
      nothing: null,
      headers: { 'X-Id': '{{ trigger.id }}' },
      body: { items: ['{{ trigger.items }}', 'x', { deep: '{{ trigger.nested.ok }}' }] },
    };
    expect(resolveConfig(config, scope)).toEqual({
      to: 'ann@example.com',
      subject: 'Hi Ann, about Keto review',
      plain: 'no expressions here',
      count: 3,
      flag: false,
      nothing: null,
      headers: { 'X-Id': 42 },
      body: { items: [['a', 'b'], 'x', { deep: true }] },
    });
  });

  it('leaves strings without {{ untouched, even ones that would not compile', () => {
    expect(resolveConfig({ a: 'price } and }}' }, scope)).toEqual({ a: 'price } and }}' });
  });

  it('names the field path of a missing reference', () => {
    const err = failure(() => resolveConfig({ headers: { 'X-Id': '{{ trigger.nope }}' } }, scope));
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err.path).toBe('config.headers.X-Id');
    expect(err.message).toMatch(/^config\.headers\.X-Id: .*trigger\.nope/);
  });

  it('names array positions and a custom prefix', () => {
    const err = failure(() =>
      resolveConfig({ items: ['ok', 'fine', '{{ steps.drfat.output }}'] }, scope, 'config.body'),
    );
    expect(err.path).toBe('config.body.items[2]');
    expect(err.reason).toMatch(/steps\.drfat/);
  });

  it('names the field of a syntax error', () => {
    expect(failure(() => resolveConfig({ url: 'https://x/{{ trigger. }}' }, scope)).path).toBe('config.url');
  });

  it('keeps a __proto__ key as data and does not change the prototype', () => {
    const config = JSON.parse('{"__proto__": {"polluted": "{{ vars.first }}"}}') as unknown;
    const out = resolveConfig(config, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 'Ann' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
