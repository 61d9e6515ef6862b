/**
 * The builder's dry runs, from the browser through `.../automations/{id}/dry-run` (the UI server): one for
 * "Try this step", and a debounced one the editor calls after each autosave to show, beside each expression
 * field, the value it gives with the sample (`evaluated`) or its error (`evaluationProblems`).
 */
import type { FieldProblem } from './automations';

export interface DryRunSample {
  trigger: unknown;
  steps?: Record<string, unknown>;
  vars?: Record<string, unknown>;
}

export interface DryRunResult {
  step_id: string;
  type: string;
  config: unknown;
  preview: Record<string, unknown>;
}

export type DryRunAnswer =
  { ok: true; result: DryRunResult } | { ok: false; message: string; problems: FieldProblem[] };

export async function dryRunStep(
  teamId: string,
  automationId: string,
  stepId: string,
  sample: DryRunSample,
  fetchFn: typeof fetch = fetch,
): Promise<DryRunAnswer> {
  let res: Response;
  try {
    res = await fetchFn(`/teams/${teamId}/automations/${automationId}/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ step_id: stepId, sample }),
    });
  } catch {
    return {
      ok: false,
      message: 'The app could not be reached. Check your connection and try again.',
      problems: [],
    };
  }
  const body = (await res.json().catch(() => null)) as
    DryRunResult | { error?: { message?: string; details?: FieldProblem[] } } | null;
  if (res.ok && body && 'preview' in body) return { ok: true, result: body };
  const error = body && 'error' in body ? body.error : undefined;
  return {
    ok: false,
    message: error?.message ?? 'The step could not be tried. Try again in a moment.',
    problems: error?.details ?? [],
  };
}

/** What the form shows beside its fields after a dry run. */
export interface Evaluation {
  evaluated: Record<string, unknown> | null;
  evaluatedIf: boolean | null;
  evaluationProblems: FieldProblem[];
}

function evaluationOf(answer: DryRunAnswer): Evaluation {
  if (!answer.ok) return { evaluated: null, evaluatedIf: null, evaluationProblems: answer.problems };
  const config = answer.result.config;
  const runs = answer.result.preview.if;
  return {
    evaluated: typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : null,
    evaluatedIf: typeof runs === 'boolean' ? runs : null,
    evaluationProblems: [],
  };
}

/**
 * A debounced evaluator: call `schedule(stepId, sample)` after each autosave; `onresult` gets the evaluation of
 * the latest call only (older answers are dropped), `onbusy` says when one is under way.
 */
export function createEvaluator(
  teamId: string,
  automationId: string,
  onresult: (stepId: string, evaluation: Evaluation) => void,
  onbusy: (busy: boolean) => void = () => {},
  delayMs = 500,
): { schedule: (stepId: string, sample: DryRunSample) => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  return {
    schedule(stepId, sample) {
      if (timer) clearTimeout(timer);
      const ticket = ++latest;
      timer = setTimeout(async () => {
        onbusy(true);
        const answer = await dryRunStep(teamId, automationId, stepId, sample);
        if (ticket !== latest) return;
        onbusy(false);
        onresult(stepId, evaluationOf(answer));
      }, delayMs);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      latest++;
      onbusy(false);
    },
  };
}
