import { builderCatalog } from './server/automation-builder';
import {
  configFields,
  fieldsOf,
  getAt,
  moreFields,
  normalizeDuration,
  parseJsonOrText,
  problemsAt,
  setAt,
  showJsonOrText,
  type FieldSpec,
} from './schema-form';

const { stepSchemas, triggerSchemas, defs } = builderCatalog();
const byKey = (fields: FieldSpec[]): Record<string, FieldSpec> =>
  Object.fromEntries(fields.map((f) => [f.key, f]));

describe('form fields from the step schemas', () => {
  it('gives send_email an expression To with help and example, and a campaign picker', () => {
    const f = byKey(configFields(stepSchemas.send_email, defs));
    expect(f.to).toMatchObject({
      kind: 'text',
      path: 'config.to',
      label: 'To',
      required: true,
      email: true,
      expressionAllowed: true,
      example: '{{ trigger.email }}',
    });
    expect(f.to!.description).toMatch(/Who gets the email/);
    expect(f.body).toMatchObject({ kind: 'text', multiline: true });
    expect(f.campaign_id).toMatchObject({ kind: 'record-id', record: 'campaign', required: false });
  });

  it('gives http_request a method choice, header rows, a JSON-or-text body and number limits', () => {
    const f = byKey(configFields(stepSchemas.http_request, defs));
    expect(f.method).toMatchObject({ kind: 'enum', default: 'GET' });
    expect(f.headers!.kind).toBe('record');
    expect(f.body!.kind).toBe('json');
    expect(f.timeout!.kind).toBe('plain');
    expect(f.max_response_bytes).toMatchObject({ kind: 'integer', min: 1, max: 5 * 1024 * 1024 });
  });

  it('leaves lanes to the flow and edits branch conditions', () => {
    const f = byKey(configFields(stepSchemas.branch, defs));
    expect(Object.keys(f)).toEqual(['branches']);
    expect(f.branches!.kind).toBe('object-list');
    expect(f.branches!.children!.map((c) => [c.key, c.kind])).toEqual([['when', 'condition']]);
    expect(configFields(stepSchemas.for_each, defs).map((c) => c.key)).not.toContain('steps');
  });

  it('gives lists, role checkboxes, nested approvers and the more options', () => {
    expect(byKey(configFields(stepSchemas.tag_contact, defs)).add!.kind).toBe('list');
    const approvers = byKey(configFields(stepSchemas.wait_for_approval, defs)).approvers!;
    expect(approvers.kind).toBe('object');
    expect(byKey(approvers.children!).roles).toMatchObject({
      kind: 'enum-list',
      path: 'config.approvers.roles',
      options: ['owner', 'admin', 'editor', 'viewer'],
    });
    expect(byKey(configFields(stepSchemas.deliver_bonus, defs)).bonus_ids!.kind).toBe('record-id-list');
    expect(moreFields(stepSchemas.send_email, defs).map((f) => [f.key, f.kind])).toEqual([
      ['if', 'condition'],
      ['retry', 'object'],
    ]);
    expect(byKey(configFields(stepSchemas.set_variable, defs)).value!.kind).toBe('json');
  });

  it('gives triggers their fields: webhook auth as a choice, ClickBank types as checkboxes', () => {
    const webhook = byKey(fieldsOf(triggerSchemas.webhook!, defs, '', ['type']));
    expect(webhook.auth!.kind).toBe('choice');
    expect(webhook.auth!.variants!.map((v) => v.value)).toEqual(['token', 'standard_webhooks']);
    const cb = byKey(fieldsOf(triggerSchemas.clickbank!, defs, '', ['type']));
    expect(cb.transaction_types!.kind).toBe('enum-list');
    expect(cb.campaign_id!.kind).toBe('record-id');
  });
});

describe('paths, problems and JSON-or-text', () => {
  it('reads and writes nested paths, deleting on undefined', () => {
    const step: Record<string, unknown> = { config: { branches: [{ when: 'a' }] } };
    expect(getAt(step, 'config.branches[0].when')).toBe('a');
    setAt(step, 'config.branches[0].when', 'b');
    setAt(step, 'config.approvers.roles', ['owner']);
    expect(step).toEqual({ config: { branches: [{ when: 'b' }], approvers: { roles: ['owner'] } } });
    setAt(step, 'config.approvers', undefined);
    expect(step).toEqual({ config: { branches: [{ when: 'b' }] } });
  });

  it('gives a field its problems and those inside it', () => {
    const problems = [
      { field: 'config.to', message: 'x' },
      { field: 'config.headers.X-Id', message: 'y' },
      { field: 'config.top', message: 'z' },
    ];
    expect(problemsAt(problems, 'config.to').map((p) => p.message)).toEqual(['x']);
    expect(problemsAt(problems, 'config.headers').map((p) => p.message)).toEqual(['y']);
  });

  it('takes JSON when it parses and text otherwise, and shows strings so they stay strings', () => {
    expect(parseJsonOrText('{"a": 1}')).toEqual({ a: 1 });
    expect(parseJsonOrText('Hello {{ trigger.name }}')).toBe('Hello {{ trigger.name }}');
    expect(parseJsonOrText('  ')).toBeUndefined();
    expect(showJsonOrText('42')).toBe('"42"');
    expect(showJsonOrText('Ann')).toBe('Ann');
    expect(showJsonOrText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('normalizeDuration', () => {
  it('turns durations in words into the engine form', () => {
    expect(normalizeDuration('2 days')).toBe('2d');
    expect(normalizeDuration('1 hour 30 minutes')).toBe('1h30m');
    expect(normalizeDuration('1h 30m')).toBe('1h30m');
    expect(normalizeDuration('2 Weeks')).toBe('2w');
    expect(normalizeDuration('30 mins and 10 secs')).toBe('30m10s');
    expect(normalizeDuration('2d')).toBe('2d');
  });

  it('leaves what it cannot read as typed, for the check to explain', () => {
    expect(normalizeDuration('soon')).toBe('soon');
    expect(normalizeDuration('2 fortnights')).toBe('2 fortnights');
    expect(normalizeDuration('2 days 3 days')).toBe('2 days 3 days');
    expect(normalizeDuration('')).toBe('');
  });
});
