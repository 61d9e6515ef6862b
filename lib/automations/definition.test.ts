import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { definitionJsonSchema, definitionSchema } from './definition';
import { exampleDefinitions } from './examples';
import { stepTypes, type Step } from './steps';
import { validateDefinition } from './validate';

const examples = Object.entries(exampleDefinitions);

function stepsOf(steps: Step[]): Step[] {
  return steps.flatMap((step) => {
    const inner: Step[] = [...(step.on_error ?? [])];
    if (step.type === 'branch')
      inner.push(...step.config.branches.flatMap((b) => b.steps), ...step.config.otherwise);
    if (step.type === 'for_each') inner.push(...step.config.steps);
    if (step.type === 'wait_for_event') inner.push(...step.config.on_timeout);
    return [step, ...stepsOf(inner)];
  });
}

describe('automation definition schema', () => {
  it.each(examples)('accepts the %s example', (_name, example) => {
    const result = validateDefinition(example);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('has examples for every trigger and every step type', () => {
    const parsed = examples.map(([, e]) => definitionSchema.parse(e));
    expect(new Set(parsed.map((d) => d.trigger.type))).toEqual(
      new Set(['webhook', 'schedule', 'clickbank', 'event', 'manual']),
    );
    expect(new Set(parsed.flatMap((d) => stepsOf(d.steps).map((s) => s.type)))).toEqual(new Set(stepTypes));
  });

  it('fills defaults (retry policy, for_each concurrency, approval timeout)', () => {
    const parsed = definitionSchema.parse(exampleDefinitions.webhookLead);
    const crm = parsed.steps.find((s) => s.id === 'crm');
    expect(crm?.retry).toEqual({ max_attempts: 3, initial_interval: '1s', backoff: 2, max_interval: '10m' });
    expect(crm?.type === 'http_request' && crm.config.max_response_bytes).toBe(1024 * 1024);
    const review = definitionSchema.parse(exampleDefinitions.weeklyReview);
    const approval = review.steps.find((s) => s.id === 'approval');
    expect(approval?.type === 'wait_for_approval' && approval.config.approvers.user_ids).toEqual([]);
    const schedule = definitionSchema.parse(exampleDefinitions.dailyDigest).trigger;
    expect(schedule.type === 'schedule' && schedule.timezone).toBe('America/New_York');
  });

  describe('JSON Schema for the builder', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(definitionJsonSchema());

    it.each(examples)('validates the %s example', (_name, example) => {
      expect(validate(example)).toBe(true);
      expect(validate.errors ?? []).toEqual([]);
    });

    it('rejects an unknown step type and a missing config field', () => {
      const broken = {
        version: 1,
        trigger: { type: 'manual' },
        steps: [
          { id: 'a', name: 'A', type: 'launch_rocket', config: {} },
          { id: 'b', name: 'B', type: 'send_email', config: { to: 'x@example.com', subject: 'Hi' } },
        ],
      };
      expect(validate(broken)).toBe(false);
    });

    it('describes nested lanes recursively', () => {
      const nested = structuredClone(exampleDefinitions.weeklyReview) as { steps: { config: object }[] };
      const branch = nested.steps[2] as { config: { otherwise: unknown[] } };
      branch.config.otherwise.push({ id: 'bad', name: 'Bad', type: 'wait', config: { duration: 5 } });
      expect(validate(nested)).toBe(false);
    });
  });
});
