import {
  ApplicationFailure,
  ActivityFailure,
  ChildWorkflowFailure,
  condition,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  startChild,
  TemporalFailure,
  continueAsNew,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AutomationActionActivities as ActionActivities } from '../activities/automation-actions';
import type { AutomationRunActivities, ExpressionItem } from '../activities/automation-run';
import { databaseStep } from './activity-options';
import {
  APPROVER_ROLE_RANK,
  AUTOMATION_RUN_WORKFLOW,
  AutomationFailure,
  type AutomationRunInput,
  type AutomationRunResult,
  type AutomationRunState,
  type AutomationRunWorkflow,
  type AutomationStepSpec,
  type BufferedEvent,
  type DecisionInput,
  type LaneInput,
  type StepError,
  type StepRunState,
  type StepWait,
} from './contracts/automation-run';
import { CONTENT_PIPELINE_WORKFLOW, contentWorkflowId } from './contracts/content-pipeline';
import { SearchAttr } from './contracts/search-attributes';
import { TaskQueue } from './contracts/task-queues';

const local = proxyLocalActivities<AutomationRunActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '200 milliseconds' },
});
const runRows = proxyActivities<AutomationRunActivities>(databaseStep);

/** Step types that act through runAutomationAction. */
const ACTIONS = new Set([
  'send_email',
  'add_to_sequence',
  'remove_from_sequence',
  'tag_contact',
  'deliver_bonus',
  'publish_wordpress',
  'http_request',
]);
/** A for_each over more items than this runs its iterations in child runs of this many each. */
const INLINE_ITEMS = 25;
const ITEMS_PER_CHILD = 100;
/** Events a run keeps for later wait_for_event steps; older ones are dropped first. */
const MAX_BUFFERED_EVENTS = 200;
const DEFAULT_RETRY = { max_attempts: 3, initial_interval: '1s', backoff: 2, max_interval: '10m' };

type ExpressionScope = Parameters<AutomationRunActivities['evaluateAutomationExpressions']>[0]['scope'];

/** A lane's view: the key prefix of its steps (inside a for_each iteration) and its own outputs and vars. */
interface Lane {
  prefix: string;
  steps: Record<string, unknown>;
  vars: Record<string, unknown>;
}

/** A step failed and nothing handled it: the run (or the enclosing for_each iteration) stops. */
class StepFailed extends Error {
  constructor(
    readonly key: string,
    readonly failure: StepError,
  ) {
    super(failure.message);
  }
}

/** Workflow time (replay-safe in the workflow sandbox). */
const workflowNow = (): number => new Date().getTime();
const nowIso = () => new Date().toISOString();

/** Plain words for a failure, its type and the expression path it names. */
function describeFailure(err: unknown): StepError {
  let cause: unknown = err;
  let attempts: number | undefined;
  while (cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) {
    if (cause instanceof ActivityFailure && cause.retryState === 'MAXIMUM_ATTEMPTS_REACHED') attempts = -1;
    if (!cause.cause) break;
    cause = cause.cause;
  }
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { path?: string } | undefined;
    return {
      message: cause.message,
      ...(cause.type ? { type: cause.type } : {}),
      ...(detail?.path ? { path: detail.path } : {}),
      retryable: !cause.nonRetryable && attempts === undefined,
    };
  }
  if (cause instanceof TemporalFailure) return { message: cause.message, type: cause.name };
  return { message: err instanceof Error ? err.message : String(err) };
}

const failure = (type: string, message: string, path?: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: path ? [{ path }] : [] });

/**
 * Runs one automation definition: each step an activity, a child workflow, a timer or a wait, with a state that a
 * query reads at any moment. Events and decisions are received from the first moment (handlers are set before the
 * first step), so an event that arrives before its wait_for_event step is kept until the step takes it.
 */
export class AutomationInterpreter {
  readonly state: AutomationRunState;
  /** Outputs of top-level steps by id, as `steps.<id>` in expressions. */
  private readonly stepScope: Record<string, unknown>;
  private readonly vars: Record<string, unknown>;
  readonly events: BufferedEvent[];
  readonly seenEventIds: Set<string>;
  private readonly decisions = new Map<string, DecisionInput>();
  slotHeld: boolean;
  private recorded = false;

  constructor(private readonly input: AutomationRunInput) {
    const carried = input.carried;
    const lane = input.lane;
    this.state = carried?.state ?? {
      status: 'running',
      automationId: input.automationId,
      versionId: input.versionId,
      version: input.version,
      startedAt: nowIso(),
      order: [],
      steps: {},
      vars: {},
      currentStep: null,
      pendingEvents: 0,
    };
    this.stepScope = carried?.outputs ?? { ...(lane?.stepScope ?? {}) };
    this.vars = carried ? this.state.vars : { ...(lane?.vars ?? input.resume?.vars ?? {}) };
    this.state.vars = this.vars;
    this.events = carried?.events ?? [];
    this.seenEventIds = new Set(carried?.seenEventIds ?? []);
    this.slotHeld = carried?.slotHeld ?? false;
  }

  get workflowId(): string {
    return workflowInfo().workflowId;
  }

  /** The state as the query answers it. */
  snapshot(): AutomationRunState {
    return { ...this.state, pendingEvents: this.events.length };
  }

  receiveEvent(event: { type: string; id: string; payload: unknown }): void {
    if (this.seenEventIds.has(event.id)) return;
    this.seenEventIds.add(event.id);
    this.events.push({ ...event, receivedAt: nowIso() });
    if (this.events.length > MAX_BUFFERED_EVENTS) this.events.shift();
  }

  /** Throws (refusing the update, which leaves no trace in history) unless this member may decide now. */
  validateDecision(d: DecisionInput): void {
    const step = this.state.steps[d.step];
    const refuse = (message: string) => {
      throw ApplicationFailure.create({
        type: AutomationFailure.decisionRefused,
        message,
        nonRetryable: true,
      });
    };
    if (!step || step.status !== 'waiting' || step.wait?.kind !== 'approval') {
      refuse('This step is not waiting for a decision');
    }
    if (this.decisions.has(d.step)) refuse('This step has already been decided');
    const approvers = step!.wait!.approvers ?? { roles: [], userIds: [] };
    const rank = APPROVER_ROLE_RANK[d.role] ?? 0;
    const byRole = approvers.roles.some((role) => rank >= (APPROVER_ROLE_RANK[role] ?? 99));
    if (!byRole && !approvers.userIds.includes(d.userId)) {
      refuse('You are not one of the people who may approve or reject this step');
    }
  }

  async decide(d: DecisionInput): Promise<AutomationRunState> {
    this.decisions.set(d.step, d);
    // Answer once the step has taken the decision and ended (the update's answer shows its output).
    await condition(() => !['waiting', 'running'].includes(this.state.steps[d.step]?.status ?? ''));
    return this.snapshot();
  }

  private scope(lane: Lane): ExpressionScope {
    return {
      trigger: this.input.trigger.payload,
      steps: { ...this.stepScope, ...lane.steps },
      vars: lane.vars,
      run: {
        id: this.workflowId,
        automation_id: this.input.automationId,
        automation_name: this.input.automationName,
        version: this.input.version,
        trigger_source: this.input.trigger.source,
        started_at: this.state.startedAt,
      },
    };
  }

  /** Top-level outputs, carried across continue-as-new. */
  stepScopeForCarry(): Record<string, unknown> {
    return this.stepScope;
  }

  topLane(): Lane {
    return { prefix: '', steps: {}, vars: this.vars };
  }

  private async evaluate(lane: Lane, items: ExpressionItem[]): Promise<unknown[]> {
    if (items.length === 0) return [];
    return local.evaluateAutomationExpressions({ teamId: this.input.teamId, scope: this.scope(lane), items });
  }

  private setStep(key: string, patch: Partial<StepRunState>): StepRunState {
    const step = this.state.steps[key]!;
    Object.assign(step, patch);
    return step;
  }

  private async markRun(error?: StepError & { step?: string }): Promise<void> {
    if (this.input.lane) return;
    const { automationId, teamId, versionId, version, trigger } = this.input;
    // The first record of this execution may have to insert the row (Schedule-started runs): only it carries the
    // payload and definition; later ones are a few ids, so the history does not grow by the input at each step.
    const first = !this.recorded;
    this.recorded = true;
    await runRows.recordAutomationRun({
      workflowId: this.workflowId,
      runId: workflowInfo().runId,
      run: {
        automationId,
        teamId,
        versionId,
        version,
        triggerSource: trigger.source,
        triggerKey: trigger.key,
        ...(first ? { payload: trigger.payload, steps: this.input.definition.steps } : {}),
      },
      status: this.state.status,
      currentStep: this.state.currentStep,
      error: error ?? null,
    });
  }

  private current(key: string | null): void {
    this.state.currentStep = key;
    upsertSearchAttributes([{ key: SearchAttr.AutomationStep, value: key ?? '' }]);
  }

  /** The run record: running, queued for a slot, or (with the slot) running. */
  async begin(): Promise<boolean> {
    if (this.input.carried || this.input.lane) return true;
    const limit = this.input.definition.concurrency;
    const take = () =>
      runRows.acquireAutomationSlot({
        workflowId: this.workflowId,
        automationId: this.input.automationId,
        teamId: this.input.teamId,
        maxRuns: limit?.max_runs ?? null,
      });
    let slot = await take();
    if (!slot.acquired && limit?.when_busy === 'skip' && slot.reason === 'automation') {
      this.state.status = 'skipped';
      this.state.endedAt = nowIso();
      await this.markRun();
      return false;
    }
    let pause = 2_000;
    while (!slot.acquired) {
      this.state.status = 'queued';
      if (pause === 2_000) await this.markRun();
      // A run queued for days must not fill its history with retries: start afresh, still queued.
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<AutomationRunWorkflow>(this.input);
      await sleep(pause);
      pause = Math.min(pause * 2, 60_000);
      slot = await take();
    }
    this.slotHeld = true;
    this.state.status = 'running';
    await this.markRun();
    return true;
  }

  /**
   * Frees the run's slot. Called on every way out, held or not: a slot taken by an acquire that was cancelled
   * half-way is freed too (the delete is idempotent).
   */
  async releaseSlot(): Promise<void> {
    if (this.input.lane) return;
    await runRows.releaseAutomationSlot({ workflowId: this.workflowId });
    this.slotHeld = false;
  }

  async finish(status: AutomationRunState['status'], error?: StepError & { step?: string }) {
    this.state.status = status;
    this.state.endedAt = nowIso();
    if (error) this.state.error = error;
    this.current(null);
    await this.markRun(error);
  }

  result(): AutomationRunResult {
    const outputs: Record<string, unknown> = {};
    for (const [id, entry] of Object.entries(this.stepScope)) {
      outputs[id] = (entry as { output?: unknown }).output ?? null;
    }
    return {
      status: this.state.status,
      outputs,
      ...(this.state.error ? { error: this.state.error } : {}),
    };
  }

  /** Runs the steps of a lane in order; throws StepFailed when one fails unhandled. */
  async runLane(steps: AutomationStepSpec[], lane: Lane): Promise<void> {
    for (const step of steps) await this.runStep(step, lane);
  }

  /** Re-uses the output of a step that succeeded in the run this one resumes. */
  reuse(step: AutomationStepSpec): boolean {
    const outputs = this.input.resume?.outputs;
    if (!outputs || !Object.prototype.hasOwnProperty.call(outputs, step.id)) return false;
    const at = nowIso();
    this.state.order.push(step.id);
    this.state.steps[step.id] = {
      key: step.id,
      id: step.id,
      name: step.name,
      type: step.type,
      status: 'succeeded',
      attempts: 0,
      startedAt: at,
      endedAt: at,
      output: outputs[step.id],
      reused: true,
    };
    this.stepScope[step.id] = { output: outputs[step.id], status: 'succeeded' };
    return true;
  }

  async runStep(step: AutomationStepSpec, lane: Lane): Promise<void> {
    const key = `${lane.prefix}${step.id}`;
    const entry: StepRunState = {
      key,
      id: step.id,
      name: step.name,
      type: step.type,
      status: 'running',
      attempts: 0,
      startedAt: nowIso(),
    };
    this.state.steps[key] = entry;
    this.state.order.push(key);
    this.current(key);
    const record = (value: Record<string, unknown>) => {
      if (lane.prefix === '') this.stepScope[step.id] = value;
      else lane.steps[step.id] = value;
    };
    try {
      if (step.if) {
        const [go] = await this.evaluate(lane, [
          { field: `${key}.if`, template: step.if, kind: 'condition' },
        ]);
        if (go === false) {
          this.setStep(key, { status: 'skipped', endedAt: nowIso() });
          record({ output: null, status: 'skipped' });
          return;
        }
      }
      const output = await this.execute(step, lane, key);
      this.setStep(key, {
        status: 'succeeded',
        endedAt: nowIso(),
        output,
        attempts: Math.max(entry.attempts, 1),
      });
      delete entry.wait;
      record({ output, status: 'succeeded' });
    } catch (err) {
      if (isCancellation(err)) {
        this.setStep(key, {
          status: 'failed',
          endedAt: nowIso(),
          error: { message: 'The run was cancelled' },
        });
        throw err;
      }
      const error = err instanceof StepFailed ? err.failure : describeFailure(err);
      if (err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED') {
        entry.attempts = step.retry?.max_attempts ?? DEFAULT_RETRY.max_attempts;
      } else entry.attempts = Math.max(entry.attempts, 1);
      delete entry.wait;
      this.setStep(key, { status: 'failed', endedAt: nowIso(), error });
      record({ output: null, status: 'failed', error });
      if (step.on_error?.length) {
        await this.runLane(step.on_error, lane);
        return;
      }
      throw err instanceof StepFailed ? err : new StepFailed(key, error);
    }
  }

  private async execute(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const c = step.config;
    if (ACTIONS.has(step.type)) return this.action(step, lane, key);
    switch (step.type) {
      case 'set_variable': {
        const result = await this.localAction(step, lane, key);
        const { name, value } = result as { name: string; value: unknown };
        lane.vars[name] = value;
        return result;
      }
      case 'generate_content':
        return this.generateContent(step, lane, key);
      case 'branch':
        return this.branch(
          c as { branches: { when: string; steps: AutomationStepSpec[] }[] },
          step,
          lane,
          key,
        );
      case 'for_each':
        return this.forEach(step, lane, key);
      case 'wait': {
        const [ms] = await this.evaluate(lane, [
          { field: `${key}.config.duration`, template: String(c.duration), kind: 'duration' },
        ]);
        await this.waitTimer(key, ms as number);
        return { waited_ms: ms };
      }
      case 'wait_until': {
        const [at] = await this.evaluate(lane, [
          { field: `${key}.config.until`, template: String(c.until), kind: 'date' },
        ]);
        const ms = (at as number) - workflowNow();
        if (ms > 366 * 86_400_000) {
          throw failure(
            AutomationFailure.stepConfig,
            `${key}.config.until: more than a year ahead`,
            `${key}.config.until`,
          );
        }
        if (ms > 0) await this.waitTimer(key, ms);
        return { until: new Date(at as number).toISOString(), waited_ms: Math.max(ms, 0) };
      }
      case 'wait_for_event':
        return this.waitForEvent(step, lane, key);
      case 'wait_for_approval':
        return this.waitForApproval(step, lane, key);
      default:
        throw failure(AutomationFailure.stepConfig, `${key}: unknown step type ${step.type}`, `${key}.type`);
    }
  }

  private async waitTimer(key: string, ms: number): Promise<void> {
    this.setStep(key, {
      status: 'waiting',
      wait: { kind: 'timer', until: new Date(workflowNow() + ms).toISOString() },
    });
    await this.waiting(true);
    await sleep(ms);
    await this.waiting(false);
  }

  /** Mirrors a wait in the run's row (lists and filters read it), not for lanes of child runs. */
  private async waiting(on: boolean): Promise<void> {
    this.state.status = on ? 'waiting' : 'running';
    await this.markRun();
  }

  private async retryOptions(step: AutomationStepSpec, lane: Lane, key: string) {
    const r = step.retry ?? DEFAULT_RETRY;
    const [initial, max] = await this.evaluate(lane, [
      { field: `${key}.retry.initial_interval`, template: r.initial_interval, kind: 'duration' },
      { field: `${key}.retry.max_interval`, template: r.max_interval, kind: 'duration' },
    ]);
    return {
      maximumAttempts: r.max_attempts,
      initialInterval: initial as number,
      backoffCoefficient: r.backoff,
      maximumInterval: max as number,
    };
  }

  private actionInput(step: AutomationStepSpec, lane: Lane, key: string) {
    return {
      teamId: this.input.teamId,
      automationId: this.input.automationId,
      workflowId: this.workflowId,
      stepKey: key,
      step,
      scope: this.scope(lane),
    };
  }

  private async action(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    // publish_wordpress waits for the content's own run to publish, heartbeating as it polls.
    const publishing = step.type === 'publish_wordpress';
    const actions = proxyActivities<ActionActivities>({
      startToCloseTimeout: publishing ? '30 minutes' : '5 minutes',
      ...(publishing ? { heartbeatTimeout: '30 seconds' } : {}),
      retry: await this.retryOptions(step, lane, key),
    });
    const result = await actions.runAutomationAction.executeWithOptions({ summary: step.name }, [
      this.actionInput(step, lane, key),
    ]);
    this.setStep(key, { attempts: result.attempt });
    return result.output;
  }

  private async localAction(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const actions = proxyLocalActivities<ActionActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { maximumAttempts: 3 },
    });
    return (await actions.runAutomationAction(this.actionInput(step, lane, key))).output;
  }

  private async generateContent(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const actions = proxyActivities<ActionActivities>({
      startToCloseTimeout: '1 minute',
      retry: await this.retryOptions(step, lane, key),
    });
    const prepared = await actions.prepareAutomationContent.executeWithOptions(
      { summary: `${step.name}: create the content item` },
      [this.actionInput(step, lane, key)],
    );
    await startChild(CONTENT_PIPELINE_WORKFLOW, {
      workflowId: contentWorkflowId(prepared.contentId),
      taskQueue: TaskQueue.main,
      args: [{ contentId: prepared.contentId, teamId: this.input.teamId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: prepared.summary,
      typedSearchAttributes: [
        { key: SearchAttr.TeamId, value: this.input.teamId },
        { key: SearchAttr.CampaignId, value: prepared.campaignId },
        { key: SearchAttr.ContentId, value: prepared.contentId },
        { key: SearchAttr.AutomationId, value: this.input.automationId },
        { key: SearchAttr.TriggerSource, value: 'automation' },
      ],
    });
    const review = step.config.wait_for_review === true;
    this.setStep(key, {
      status: 'waiting',
      wait: {
        kind: 'content_review',
        message: review ? 'Waiting for the content review' : 'Writing the draft',
      },
    });
    await this.waiting(true);
    const waiter = proxyActivities<ActionActivities>({
      startToCloseTimeout: review ? '366 days' : '2 hours',
      heartbeatTimeout: '1 minute',
      retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
    });
    const done = await waiter.awaitAutomationContent.executeWithOptions(
      { summary: review ? `${step.name}: wait for the review` : `${step.name}: wait for the draft` },
      [{ teamId: this.input.teamId, contentId: prepared.contentId, until: review ? 'reviewed' : 'draft' }],
    );
    await this.waiting(false);
    return done;
  }

  private async branch(
    c: { branches: { when: string; steps: AutomationStepSpec[] }[]; otherwise?: AutomationStepSpec[] },
    _step: AutomationStepSpec,
    lane: Lane,
    key: string,
  ): Promise<unknown> {
    const results = await this.evaluate(
      lane,
      c.branches.map((b, i) => ({
        field: `${key}.config.branches[${i}].when`,
        template: b.when,
        kind: 'condition' as const,
      })),
    );
    const chosen = results.findIndex((r) => r === true);
    const steps = chosen >= 0 ? c.branches[chosen]!.steps : (c.otherwise ?? []);
    await this.runLane(steps, lane);
    return { branch: chosen >= 0 ? chosen : 'otherwise' };
  }

  private async forEach(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const c = step.config as {
      items: string;
      as: string;
      max_items: number;
      concurrency: number;
      steps: AutomationStepSpec[];
    };
    const [list] = await this.evaluate(lane, [
      { field: `${key}.config.items`, template: c.items, kind: 'list' },
    ]);
    const items = list as unknown[];
    if (items.length > c.max_items) {
      throw failure(
        AutomationFailure.tooManyItems,
        `${key}.config.items: the list has ${items.length} items, more than max_items (${c.max_items})`,
        `${key}.config.items`,
      );
    }
    const indexed = items.map((item, index) => ({ index, item }));
    if (items.length <= INLINE_ITEMS) {
      const results = await this.iterate(key, c, indexed, lane);
      return { count: items.length, items: results };
    }
    // Large lists: children of ITEMS_PER_CHILD iterations each, `concurrency` children at a time.
    const chunks: { index: number; item: unknown }[][] = [];
    for (let i = 0; i < indexed.length; i += ITEMS_PER_CHILD)
      chunks.push(indexed.slice(i, i + ITEMS_PER_CHILD));
    let done = 0;
    let stopped = false;
    // One child at a time, each running `concurrency` iterations at once: the step's concurrency holds overall.
    await pool(chunks, 1, async (chunk, n) => {
      if (stopped) return;
      const laneInput: LaneInput = {
        parentWorkflowId: this.workflowId,
        stepKey: key,
        as: c.as,
        items: chunk,
        concurrency: c.concurrency,
        steps: c.steps,
        stepScope: { ...this.stepScope, ...lane.steps },
        vars: lane.vars,
      };
      const child = await startChild(AUTOMATION_RUN_WORKFLOW, {
        workflowId: `${this.workflowId}:${key}:${n}`,
        taskQueue: TaskQueue.main,
        args: [{ ...this.input, carried: undefined, resume: undefined, lane: laneInput }],
        staticSummary: `${step.name}: items ${chunk[0]!.index + 1} to ${chunk[chunk.length - 1]!.index + 1}`,
      });
      try {
        await child.result();
      } catch (err) {
        stopped = true;
        throw err;
      }
      done += chunk.length;
      this.setStep(key, { output: { count: items.length, done } });
    });
    return { count: items.length };
  }

  /** Runs for_each iterations in this run, `concurrency` at a time; the first failure stops taking new ones. */
  async iterate(
    key: string,
    c: { as: string; concurrency: number; steps: AutomationStepSpec[] },
    items: { index: number; item: unknown }[],
    lane: Lane,
  ): Promise<{ index: number; steps: Record<string, unknown> }[]> {
    const results: { index: number; steps: Record<string, unknown> }[] = [];
    let failed: StepFailed | undefined;
    await pool(items, c.concurrency, async ({ index, item }) => {
      if (failed) return;
      const iteration: Lane = {
        prefix: `${key}[${index}].`,
        steps: { ...lane.steps },
        vars: { ...lane.vars, [c.as]: item, [`${c.as}_index`]: index },
      };
      try {
        await this.runLane(c.steps, iteration);
        const own: Record<string, unknown> = {};
        for (const s of c.steps)
          own[s.id] = (iteration.steps[s.id] as { output?: unknown } | undefined)?.output ?? null;
        results.push({ index, steps: own });
      } catch (err) {
        if (err instanceof StepFailed) failed ??= err;
        else throw err;
      }
    });
    if (failed) throw failed;
    return results.sort((a, b) => a.index - b.index);
  }

  private async waitForEvent(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const c = step.config as {
      event?: string;
      signal?: string;
      match?: string;
      timeout: string;
      on_timeout?: AutomationStepSpec[];
    };
    const type = c.event ?? `signal:${c.signal}`;
    const [timeoutMs] = await this.evaluate(lane, [
      { field: `${key}.config.timeout`, template: c.timeout, kind: 'duration' },
    ]);
    const deadline = workflowNow() + (timeoutMs as number);
    const wait: StepWait = { kind: 'event', event: type, until: new Date(deadline).toISOString() };
    this.setStep(key, { status: 'waiting', wait });
    await this.waiting(true);
    // Events received so far, before this step too, are looked at first; each event once per step.
    const checked = new Set<string>();
    const unchecked = () => this.events.filter((e) => e.type === type && !checked.has(e.id));
    for (;;) {
      const fresh = unchecked();
      if (fresh.length > 0) {
        const at = c.match
          ? await local.firstMatchingEvent({
              teamId: this.input.teamId,
              scope: this.scope(lane),
              match: c.match,
              field: `${key}.config.match`,
              events: fresh,
            })
          : 0;
        if (at >= 0) {
          const event = fresh[at]!;
          const at2 = this.events.indexOf(event);
          if (at2 >= 0) this.events.splice(at2, 1);
          await this.waiting(false);
          return {
            timed_out: false,
            type: event.type,
            id: event.id,
            event: event.payload,
            received_at: event.receivedAt,
          };
        }
        for (const e of fresh) checked.add(e.id);
      }
      const remaining = deadline - workflowNow();
      if (remaining <= 0 || !(await condition(() => unchecked().length > 0, remaining))) break;
    }
    await this.waiting(false);
    if (c.on_timeout?.length) await this.runLane(c.on_timeout, lane);
    return { timed_out: true, type };
  }

  private async waitForApproval(step: AutomationStepSpec, lane: Lane, key: string): Promise<unknown> {
    const c = step.config as {
      approvers: { roles: string[]; user_ids: string[] };
      message?: string;
      timeout: string;
      on_timeout: 'approve' | 'reject' | 'fail';
    };
    const [timeoutMs, message] = await this.evaluate(lane, [
      { field: `${key}.config.timeout`, template: c.timeout, kind: 'duration' },
      ...(c.message ? [{ field: `${key}.config.message`, template: c.message, kind: 'any' as const }] : []),
    ]);
    const until = new Date(workflowNow() + (timeoutMs as number)).toISOString();
    this.setStep(key, {
      status: 'waiting',
      wait: {
        kind: 'approval',
        until,
        approvers: { roles: c.approvers.roles, userIds: c.approvers.user_ids },
        ...(typeof message === 'string' ? { message } : {}),
      },
    });
    await this.waiting(true);
    const decided = await condition(() => this.decisions.has(key), timeoutMs as number);
    // Closed at once: from here the validator refuses decisions (a decision accepted now would be ignored).
    this.setStep(key, { status: 'running' });
    await this.waiting(false);
    if (decided) {
      const d = this.decisions.get(key)!;
      return {
        decision: d.decision,
        decided_by: d.userId,
        note: d.note ?? null,
        decided_at: nowIso(),
        timed_out: false,
      };
    }
    if (c.on_timeout === 'fail') {
      throw failure(AutomationFailure.approvalTimedOut, `Nobody decided before ${until}`);
    }
    return { decision: c.on_timeout, decided_by: null, note: null, decided_at: nowIso(), timed_out: true };
  }
}

/** Runs `work` over items, at most `limit` at once, in a deterministic order. */
async function pool<T>(
  items: T[],
  limit: number,
  work: (item: T, n: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(Math.max(limit, 1), items.length) }, async () => {
    while (next < items.length) {
      const n = next++;
      await work(items[n]!, n);
    }
  });
  await Promise.all(lanes);
}

export { StepFailed };
