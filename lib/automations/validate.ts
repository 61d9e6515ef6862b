import type { z } from 'zod';
import { checkCondition } from './check-expressions';
import { checkSteps } from './check-steps';
import { definitionSchema, type AutomationDefinition } from './definition';
import { formatPath, isRecord, type DefinitionProblem } from './problems';
import { cronProblem, timeZoneProblem } from './schedule';

export type { DefinitionProblem } from './problems';

export type ValidationResult =
  { ok: true; definition: AutomationDefinition; problems: [] } | { ok: false; problems: DefinitionProblem[] };

/** zod's wording, made plain where it is not. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'required';
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

function checkTrigger(trigger: unknown, problems: DefinitionProblem[]): void {
  if (!isRecord(trigger)) return;
  if (trigger.type === 'schedule') {
    if (typeof trigger.cron === 'string' && trigger.cron.trim() !== '') {
      const problem = cronProblem(trigger.cron);
      if (problem) problems.push({ path: 'trigger.cron', message: problem });
    }
    if (typeof trigger.timezone === 'string') {
      const problem = timeZoneProblem(trigger.timezone);
      if (problem) problems.push({ path: 'trigger.timezone', message: problem });
    }
  }
  for (const key of ['filter', 'idempotency_key'] as const) {
    const text = trigger[key];
    if (typeof text !== 'string' || text.trim() === '') continue;
    // A filter runs before the run exists: it sees the payload (and run facts) only.
    checkCondition(
      key === 'filter' ? text : text.includes('{{') ? text : `{{ ${text} }}`,
      ['trigger', key],
      {
        steps: new Set(),
        vars: new Set(),
        allSteps: new Set(),
        allVars: new Set(),
        roots: new Set(['trigger']),
      },
      problems,
    );
  }
}

/**
 * Every problem with a definition, each with its JSON path (`steps[2].config.to`) and a plain message; never
 * throws. The shape comes from the schema; expressions, references, ids, cron and time zones are checked on the
 * raw input as well, so one wrong field does not hide the rest.
 */
export function validateDefinition(input: unknown): ValidationResult {
  const problems: DefinitionProblem[] = [];
  let parsed: z.ZodSafeParseResult<AutomationDefinition> | undefined;
  try {
    parsed = definitionSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ path: formatPath(issue.path as (string | number)[]), message: messageOf(issue) });
      }
    }
    if (isRecord(input)) {
      checkTrigger(input.trigger, problems);
      checkSteps(input.steps, problems);
    }
  } catch (error) {
    // A defect in a check must not turn a save into a 500; the property test looks for this message.
    problems.push({ path: '', message: `internal error while checking: ${String(error)}` });
  }
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (unique.length === 0 && parsed?.success) return { ok: true, definition: parsed.data, problems: [] };
  return { ok: false, problems: unique };
}
