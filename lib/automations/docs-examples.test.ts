import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionSchema } from './definition';
import { validateDefinition } from './validate';

/** The JSON examples in docs/automations.md: whole definitions validate, triggers and steps have the right shape. */
const doc = readFileSync(join(__dirname, '../../docs/automations.md'), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? '') as unknown);
const objects = blocks.filter(
  (b): b is Record<string, unknown> => typeof b === 'object' && b !== null && !Array.isArray(b),
);
const wait = { id: 'w', name: 'W', type: 'wait', config: { duration: '1m' } };

describe('docs/automations.md examples', () => {
  it('has examples to check', () => {
    expect(objects.length).toBeGreaterThan(15);
  });

  it.each(objects.filter((b) => 'version' in b).map((b) => [JSON.stringify(b).slice(0, 60), b]))(
    'definition %s is valid',
    (_label, definition) => {
      expect(validateDefinition(definition).problems).toEqual([]);
    },
  );

  it.each(objects.filter((b) => !('version' in b) && !('id' in b)).map((b) => [b.type, b]))(
    'trigger %s has the right shape',
    (_type, trigger) => {
      const parsed = definitionSchema.safeParse({ version: 1, trigger, steps: [wait] });
      expect(parsed.error?.issues ?? []).toEqual([]);
    },
  );

  it.each(objects.filter((b) => 'id' in b).map((b) => [b.type, b]))(
    'step %s has the right shape',
    (_type, step) => {
      const parsed = definitionSchema.safeParse({ version: 1, trigger: { type: 'manual' }, steps: [step] });
      expect(parsed.error?.issues ?? []).toEqual([]);
    },
  );
});
