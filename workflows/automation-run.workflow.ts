import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { AutomationInterpreter, StepFailed } from './automation-interpreter';
import {
  decideUpdate,
  eventSignal,
  runStateQuery,
  type AutomationRunInput,
  type AutomationRunResult,
  type DecisionInput,
} from './contracts/automation-run';

/**
 * The automation interpreter (`auto:<automationId>:<key>`): runs the definition it was started with (its version
 * travels in the input, so activating a new version never changes a run under way). Signals and the approval
 * update are accepted from the first moment; the run continues as new when Temporal suggests it, carrying its
 * state. A child run of a large for_each (`input.lane`) runs its share of iterations only.
 */
export async function automationRunWorkflow(input: AutomationRunInput): Promise<AutomationRunResult> {
  const run = new AutomationInterpreter(input);
  setHandler(runStateQuery, () => run.snapshot());
  setHandler(eventSignal, (event) => run.receiveEvent(event));
  setHandler(decideUpdate, (decision: DecisionInput) => run.decide(decision), {
    validator: (decision: DecisionInput) => run.validateDecision(decision),
  });

  if (input.lane) return runLaneChild(run, input);

  try {
    if (!(await run.begin())) return run.result();
    const steps = input.definition.steps;
    for (let i = input.carried?.nextIndex ?? 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (!run.reuse(step)) await run.runStep(step, run.topLane());
      if (i + 1 < steps.length && workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof automationRunWorkflow>({
          ...input,
          carried: {
            nextIndex: i + 1,
            state: run.state,
            outputs: run.stepScopeForCarry(),
            events: run.events,
            seenEventIds: [...run.seenEventIds],
            slotHeld: run.slotHeld,
          },
        });
      }
    }
    await CancellationScope.nonCancellable(async () => {
      await run.releaseSlot();
      await run.finish('succeeded');
    });
    await condition(allHandlersFinished);
    return run.result();
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        await run.releaseSlot();
        await run.finish('cancelled', { message: 'The run was cancelled' });
      });
      throw err;
    }
    if (!(err instanceof StepFailed)) {
      // Not a step's failure (the run's own bookkeeping failed for good): free the slot before failing.
      await CancellationScope.nonCancellable(() => run.releaseSlot()).catch(() => undefined);
      throw err;
    }
    const error = { ...err.failure, step: err.key };
    await CancellationScope.nonCancellable(async () => {
      await run.releaseSlot();
      await run.finish('failed', error);
    });
    throw ApplicationFailure.create({
      type: err.failure.type ?? 'StepFailed',
      message: `Step ${err.key} failed: ${err.failure.message}`,
      nonRetryable: true,
      details: [error],
    });
  }
}

/** A for_each child: its iterations, with the parent's scope; a failed iteration fails the child (and the step). */
async function runLaneChild(
  run: AutomationInterpreter,
  input: AutomationRunInput,
): Promise<AutomationRunResult> {
  const lane = input.lane!;
  try {
    const items = await run.iterate(lane.stepKey, lane, lane.items, {
      prefix: '',
      steps: {},
      vars: lane.vars,
    });
    return { status: 'succeeded', outputs: { items } };
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    throw ApplicationFailure.create({
      type: err.failure.type ?? 'StepFailed',
      message: `Step ${err.key} failed: ${err.failure.message}`,
      nonRetryable: true,
      details: [{ ...err.failure, step: err.key }],
    });
  }
}
