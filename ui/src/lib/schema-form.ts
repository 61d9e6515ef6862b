/**
 * Turns the JSON Schema of a step or trigger (from builderCatalog, the zod schema the API validates with) into
 * the fields of a form: what kind of input each property needs, its label in words, its help text and example
 * (`.meta({ description, examples })` in lib/automations), its default. Pure; the Svelte form renders the specs.
 */
export type Schema = Record<string, unknown>;

type FieldKind =
  | 'text' // a string that may hold {{ }} expressions
  | 'plain' // a string that may not (names, durations, cron, patterns)
  | 'condition' // one CEL expression, bare
  | 'enum'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'list' // a list of strings
  | 'enum-list'
  | 'record' // string -> string (headers)
  | 'json' // any JSON value, or plain text
  | 'record-id' // a uuid of a team record, or an expression
  | 'record-id-list'
  | 'object' // a nested object (approvers)
  | 'choice' // one of several objects told apart by a const field (webhook auth)
  | 'object-list'; // a list of objects (branch paths)

export type RecordKind = 'campaign' | 'sequence' | 'bonus' | 'content';

export interface FieldSpec {
  key: string;
  /** Relative to the step (or trigger): `config.to`, `config.approvers.roles`, `if`. */
  path: string;
  kind: FieldKind;
  label: string;
  required: boolean;
  description?: string;
  example?: unknown;
  default?: unknown;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Long text: a textarea. */
  multiline?: boolean;
  /** Takes an email address (a type="email" hint when not an expression). */
  email?: boolean;
  expressionAllowed?: boolean;
  record?: RecordKind;
  /** A duration (`2d`, `1h30m`): "2 days" typed in words is turned into it. */
  duration?: boolean;
  children?: FieldSpec[];
  /** For `choice`: the discriminating key and each variant's fields. */
  discriminator?: string;
  variants?: { value: string; description?: string; children: FieldSpec[] }[];
}

const labels: Record<string, string> = {
  to: 'To',
  subject: 'Subject',
  body: 'Message',
  campaign_id: 'Campaign',
  sequence_id: 'Email sequence',
  bonus_ids: 'Bonuses',
  content_id: 'Content',
  contact: 'Contact',
  add: 'Tags to add',
  remove: 'Tags to remove',
  receipt: 'Receipt',
  item_no: 'Item number',
  email: 'Email address',
  publish_at: 'Publish at',
  method: 'Method',
  url: 'Web address (URL)',
  headers: 'Headers',
  timeout: 'Wait at most',
  max_response_bytes: 'Largest answer (bytes)',
  value: 'Value',
  duration: 'How long',
  until: 'Until',
  approvers: 'Who may decide',
  roles: 'Roles',
  user_ids: 'People (user ids)',
  message: 'Message',
  on_timeout: 'When nobody decides in time',
  items: 'List',
  as: 'Name of each item',
  max_items: 'At most this many items',
  concurrency: 'Items at the same time',
  event: 'Event',
  signal: 'Signal',
  match: 'Only when',
  branches: 'Paths',
  when: 'When',
  type: 'Type',
  tone: 'Tone',
  keywords: 'Keywords',
  length: 'Length',
  wait_for_review: 'Wait for the review',
  status: 'Status',
  reason: 'Reason',
  max_attempts: 'Tries in all',
  initial_interval: 'First wait',
  backoff: 'Each wait grows by',
  max_interval: 'Longest wait',
  if: 'Only run when',
  retry: 'Try again on failure',
  filter: 'Only when',
  idempotency_key: 'Duplicate key',
  cron: 'Cron',
  every: 'Every',
  timezone: 'Time zone',
  transaction_types: 'Transaction types',
  vendor: 'Vendor',
  item: 'Item',
  auth: 'How callers prove who they are',
  tolerance: 'Clock tolerance',
  scheme: 'Method',
};

/** Per-field label overrides where the key alone is ambiguous (`name` of set_variable, not the step). */
const pathLabels: Record<string, string> = {
  'config.name': 'Variable name',
  name: 'Step name',
};

/** A key in words: `item_no` -> "Item no". */
export function labelOf(key: string, path = key): string {
  return pathLabels[path] ?? labels[key] ?? (key.charAt(0).toUpperCase() + key.slice(1)).replace(/_/g, ' ');
}

const recordKeys: Record<string, RecordKind> = {
  campaign_id: 'campaign',
  sequence_id: 'sequence',
  bonus_ids: 'bonus',
  content_id: 'content',
};

const conditionKeys = new Set(['if', 'when', 'match', 'filter', 'items']);
/** Strings the engine reads as they are (identifiers, durations, cron, zones, patterns): no {{ }}. */
const plainKeys = new Set(['name', 'as', 'signal', 'cron', 'timezone', 'vendor', 'item']);
const DURATION_PATTERN = '^(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';

/** Follows `$ref` into `defs`. */
function resolveSchema(schema: Schema, defs: Record<string, Schema>): Schema {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const { $ref: _ref, ...rest } = s;
    void _ref;
    s = { ...(defs[name] ?? {}), ...rest };
  }
  return s;
}

const isLane = (s: Schema) => s.$ref === '#/$defs/AutomationSteps';

function anyOfStrings(s: Schema): Schema[] | null {
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (!alts || !alts.every((a) => a.type === 'string')) return null;
  return alts;
}

function constOf(variant: Schema, key: string): string | undefined {
  const c = (variant.properties as Record<string, Schema> | undefined)?.[key]?.const;
  return typeof c === 'string' ? c : undefined;
}

function specOf(
  key: string,
  path: string,
  raw: Schema,
  required: boolean,
  defs: Record<string, Schema>,
): FieldSpec | null {
  if (isLane(raw)) return null;
  const s = resolveSchema(raw, defs);
  const examples = raw.examples ?? s.examples;
  const base: FieldSpec = {
    key,
    path,
    kind: 'text',
    label: labelOf(key, path),
    required,
    ...(typeof (raw.description ?? s.description) === 'string'
      ? { description: (raw.description ?? s.description) as string }
      : {}),
    ...(Array.isArray(examples) && examples.length > 0 ? { example: examples[0] } : {}),
    ...('default' in raw ? { default: raw.default } : 'default' in s ? { default: s.default } : {}),
  };
  const alts = anyOfStrings(s);
  if (alts) {
    const uuid = alts.some((a) => a.format === 'uuid');
    const email = alts.some((a) => a.format === 'email');
    if (uuid && recordKeys[key])
      return { ...base, kind: 'record-id', record: recordKeys[key], expressionAllowed: true };
    return { ...base, kind: 'text', email, expressionAllowed: true };
  }
  if (Array.isArray(s.anyOf) && (s.anyOf as Schema[]).some((a) => a.type === 'object')) {
    return { ...base, kind: 'json', multiline: true, ...(key === 'body' ? { label: 'What to send' } : {}) };
  }
  if (Array.isArray(s.oneOf)) {
    const variants = s.oneOf as Schema[];
    const disc = Object.keys((variants[0]?.properties as Schema) ?? {}).find((k) =>
      variants.every((v) => constOf(v, k) !== undefined),
    );
    if (disc) {
      return {
        ...base,
        kind: 'choice',
        discriminator: disc,
        variants: variants.map((v) => ({
          value: constOf(v, disc)!,
          ...(typeof v.description === 'string' ? { description: v.description } : {}),
          children: fieldsOf(v, defs, path, [disc]),
        })),
      };
    }
  }
  switch (s.type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'integer':
    case 'number':
      return {
        ...base,
        kind: s.type,
        ...(typeof s.minimum === 'number' ? { min: s.minimum } : {}),
        ...(typeof s.maximum === 'number' ? { max: s.maximum } : {}),
      };
    case 'array': {
      const items = resolveSchema((s.items as Schema) ?? {}, defs);
      if (Array.isArray(items.enum)) return { ...base, kind: 'enum-list', options: items.enum as string[] };
      if (items.type === 'object')
        return { ...base, kind: 'object-list', children: fieldsOf(items, defs, '') };
      if (anyOfStrings(items)?.some((a) => a.format === 'uuid') && recordKeys[key]) {
        return { ...base, kind: 'record-id-list', record: recordKeys[key] };
      }
      return { ...base, kind: 'list' };
    }
    case 'object':
      if (s.properties) return { ...base, kind: 'object', children: fieldsOf(s, defs, path) };
      return { ...base, kind: 'record' };
    case 'string': {
      if (Array.isArray(s.enum)) return { ...base, kind: 'enum', options: s.enum as string[] };
      if (s.format === 'uuid' && recordKeys[key])
        return { ...base, kind: 'record-id', record: recordKeys[key] };
      const maxLength = typeof s.maxLength === 'number' ? s.maxLength : undefined;
      if (conditionKeys.has(key)) return { ...base, kind: 'condition', ...(maxLength ? { maxLength } : {}) };
      const plain = plainKeys.has(key) || s.pattern === DURATION_PATTERN || s.format === 'uuid';
      return {
        ...base,
        kind: plain ? 'plain' : 'text',
        expressionAllowed: !plain,
        ...(s.pattern === DURATION_PATTERN ? { duration: true } : {}),
        ...(maxLength ? { maxLength } : {}),
        multiline: (maxLength ?? 0) > 4_000 || key === 'message',
      };
    }
    default:
      return { ...base, kind: 'json', multiline: true };
  }
}

/** The fields of an object schema, lanes left out (the flow draws them). */
export function fieldsOf(
  schema: Schema,
  defs: Record<string, Schema>,
  prefix: string,
  skip: string[] = [],
): FieldSpec[] {
  const s = resolveSchema(schema, defs);
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  const out: FieldSpec[] = [];
  for (const [key, prop] of Object.entries(props)) {
    if (skip.includes(key)) continue;
    const spec = specOf(key, prefix ? `${prefix}.${key}` : key, prop, required.has(key), defs);
    if (spec) out.push(spec);
  }
  return out;
}

/** The config fields of a step type's schema (`config.*`). */
export function configFields(stepSchema: Schema, defs: Record<string, Schema>): FieldSpec[] {
  const config = (stepSchema.properties as Record<string, Schema> | undefined)?.config;
  return config ? fieldsOf(config, defs, 'config') : [];
}

/** A step's common fields below its config: `if` and `retry` ("More options"). */
export function moreFields(stepSchema: Schema, defs: Record<string, Schema>): FieldSpec[] {
  return fieldsOf(stepSchema, defs, '').filter((f) => f.key === 'if' || f.key === 'retry');
}

type Container = Record<string, unknown> | unknown[];

function keysOf(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      keys.push(part);
      continue;
    }
    if (m[1]) keys.push(m[1]);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(i[1]));
  }
  return keys;
}

/** The value at `config.approvers.roles` / `config.branches[0].when`, or undefined. */
export function getAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of keysOf(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Sets the value at `path` (creating objects on the way); undefined deletes the key. */
export function setAt(root: Container, path: string, value: unknown): void {
  const keys = keysOf(path);
  let node = root as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

/** The problems of one field and of what is inside it (`config.headers.X-Id` belongs to `config.headers`). */
export function problemsAt<T extends { field: string }>(problems: T[], path: string): T[] {
  return problems.filter(
    (p) => p.field === path || p.field.startsWith(`${path}.`) || p.field.startsWith(`${path}[`),
  );
}

/** A JSON-or-text field's value as typed: JSON when it parses, else the text itself. */
export function parseJsonOrText(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** How a JSON-or-text value is shown for editing. */
export function showJsonOrText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    // A string that would read back as something else is shown quoted, so it stays a string.
    return parseJsonOrText(value) === value ? value : JSON.stringify(value);
  }
  return JSON.stringify(value, null, 2);
}

/** An example or default as a placeholder: text as it is, other values as JSON. */
export function asPlaceholder(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.every((v) => typeof v === 'string') ? value.join(', ') : JSON.stringify(value);
  return JSON.stringify(value);
}

/** A team's records the form offers in pickers (the editor page loads them). */
export interface RecordOption {
  id: string;
  name: string;
}
export interface BuilderRecords {
  campaigns?: RecordOption[];
  sequences?: RecordOption[];
  bonuses?: RecordOption[];
}

export function recordOptions(
  records: BuilderRecords | undefined,
  kind: RecordKind | undefined,
): RecordOption[] | null {
  if (!records || !kind) return null;
  const list = {
    campaign: records.campaigns,
    sequence: records.sequences,
    bonus: records.bonuses,
    content: undefined,
  }[kind];
  return list ?? null;
}

const optionWords: Record<string, string> = {
  publish: 'Publish',
  draft: 'Save as a draft',
  approve: 'Approve',
  reject: 'Reject',
  fail: 'Stop with an error',
  'contact.created': 'A contact is added',
  'contact.tagged': 'A contact gets a tag',
  'content.approved': 'Content is approved',
  'content.published': 'Content is published',
  'email.refused': 'An email is refused',
  'bonus.delivered': 'A bonus is delivered',
  token: 'A secret token (simplest)',
  standard_webhooks: 'Signed calls (Standard Webhooks)',
  owner: 'Owners',
  admin: 'Admins',
  editor: 'Editors',
  viewer: 'Viewers',
  SALE: 'Sale',
  BILL: 'Rebill',
  RFND: 'Refund',
  CGBK: 'Chargeback',
  INSF: 'Payment failed',
  'CANCEL-REBILL': 'Subscription cancelled',
  'UNCANCEL-REBILL': 'Subscription resumed',
  TEST: 'Test',
  TEST_SALE: 'Test sale',
  TEST_BILL: 'Test rebill',
  TEST_RFND: 'Test refund',
};

/** An enum value in words (`email.refused` -> "An email is refused"; `blog_post` -> "Blog post"). */
export function optionLabel(value: string): string {
  if (optionWords[value]) return optionWords[value];
  if (/^[A-Z]+$/.test(value)) return value;
  const words = value.replace(/[_.-]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fields that hold other fields (SchemaGroup draws them; SchemaField the rest). */
export const isGroup = (spec: FieldSpec): boolean =>
  spec.kind === 'object' || spec.kind === 'choice' || spec.kind === 'object-list';

const durationUnits: Record<string, string> = {
  w: 'w',
  week: 'w',
  weeks: 'w',
  d: 'd',
  day: 'd',
  days: 'd',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
};
const unitOrder = ['w', 'd', 'h', 'm', 's'];

/**
 * A duration typed in words ("2 days", "1 hour 30 minutes", "1h 30m") in the engine's form ("2d", "1h30m");
 * anything else is returned as typed, for the check to explain.
 */
export function normalizeDuration(typed: string): string {
  const text = typed
    .trim()
    .toLowerCase()
    .replace(/\band\b|,/g, ' ');
  const parts = [...text.matchAll(/(\d+)\s*([a-z]+)/g)];
  if (parts.length === 0 || text.replace(/(\d+)\s*([a-z]+)/g, '').trim() !== '') return typed;
  const totals = new Map<string, number>();
  for (const [, amount, word] of parts) {
    const unit = durationUnits[word!];
    if (!unit || totals.has(unit)) return typed;
    totals.set(unit, Number(amount));
  }
  return unitOrder
    .filter((u) => totals.has(u))
    .map((u) => `${totals.get(u)}${u}`)
    .join('');
}
