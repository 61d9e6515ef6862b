/**
 * The state the flow components share (through context): the definition being edited, which card is open,
 * which lanes are folded, the API's problems, and the edits (each calls `onchange` so the page autosaves).
 */
import { getContext, setContext, tick, type Component } from 'svelte';
import type { AutomationDefinition, Step, StepType } from '$lib/automations';
import { noProblems, type SortedProblems } from '$lib/automation-problems';
import {
  allIds,
  duplicateStep,
  insertStep,
  laneAt,
  moveStep,
  newStep,
  removeStep,
  setAt,
  splitStepPath,
  walkSteps,
  type LanePath,
} from '$lib/automation-tree';
import { stepLabel } from '$lib/automation-words';

const KEY = Symbol('hf-flow-editor');

export const TRIGGER = 'trigger';

export class FlowEditor {
  def: AutomationDefinition = $state() as AutomationDefinition;
  /** The open card: TRIGGER, a step id, or null. */
  selected = $state<string | null>(null);
  collapsed = $state<Record<string, boolean>>({});
  problems = $state<SortedProblems>(noProblems);
  /** Where the palette adds a step, while it is open. */
  palette = $state<{ lane: LanePath; index: number } | null>(null);
  /** A drag is under way: the lanes hold svelte-dnd-action's placeholder, nothing is saved meanwhile. */
  dragging = $state(false);
  /** A step with steps inside it, waiting for "delete" to be confirmed. */
  confirmRemove = $state<string | null>(null);

  constructor(
    def: AutomationDefinition,
    readonly canEdit: boolean,
    private readonly onchange: () => void,
    /** FlowLane, handed to the steps that hold lanes (a step draws lanes, a lane draws steps). */
    readonly laneComponent: Component<{ lane: LanePath; label: string }>,
  ) {
    this.def = def;
  }

  changed(): void {
    this.onchange();
  }

  /** Paths change as steps move; ids do not. */
  pathOf(id: string): string | null {
    return walkSteps(this.def).find((s) => s.step.id === id)?.path ?? null;
  }

  stepById(id: string): Step | null {
    return walkSteps(this.def).find((s) => s.step.id === id)?.step ?? null;
  }

  select(id: string | null): void {
    this.selected = this.selected === id ? null : id;
  }

  openPalette(lane: LanePath, index: number): void {
    this.palette = { lane, index };
  }

  async add(type: StepType): Promise<void> {
    if (!this.palette) return;
    const step = newStep(type, stepLabel(type), allIds(this.def));
    insertStep(this.def, this.palette.lane, this.palette.index, step);
    this.palette = null;
    // The new step's form opens (and takes the focus) so its blanks can be filled in.
    this.selected = step.id;
    this.changed();
  }

  /** A branch gets another path (its condition is filled in in the branch's form). */
  addPath(id: string): void {
    const step = this.stepById(id);
    if (step?.type !== 'branch') return;
    step.config.branches.push({ when: '', steps: [] });
    this.changed();
  }

  removePath(id: string, index: number): void {
    const step = this.stepById(id);
    if (step?.type !== 'branch' || step.config.branches.length < 2) return;
    step.config.branches.splice(index, 1);
    this.changed();
  }

  async move(id: string, by: -1 | 1): Promise<void> {
    const path = this.pathOf(id);
    if (!path) return;
    const { index } = splitStepPath(path);
    moveStep(this.def, path, index + by);
    this.changed();
    await this.focusCard(id, by < 0 ? 'up' : 'down');
  }

  async duplicate(id: string): Promise<void> {
    const path = this.pathOf(id);
    if (!path) return;
    const copyPath = duplicateStep(this.def, path);
    const copy = walkSteps(this.def).find((s) => s.path === copyPath)?.step;
    this.changed();
    if (copy) await this.focusCard(copy.id);
  }

  async remove(id: string): Promise<void> {
    const path = this.pathOf(id);
    if (!path) return;
    const { lane, index } = splitStepPath(path);
    removeStep(this.def, path);
    if (this.selected === id) this.selected = null;
    this.changed();
    const left = laneAt(this.def, lane);
    const neighbour = left[Math.min(index, left.length - 1)];
    await tick();
    if (neighbour) await this.focusCard(neighbour.id);
    else document.querySelector<HTMLElement>(`[data-add-lane="${CSS.escape(lane)}"]`)?.focus();
  }

  /** A lane after a drag (svelte-dnd-action hands over the reordered items). */
  setLane(lane: LanePath, items: Step[], final: boolean): void {
    setAt(this.def, lane, items);
    this.dragging = !final;
    if (final) this.changed();
  }

  toggle(lane: LanePath): void {
    this.collapsed[lane] = !this.collapsed[lane];
  }

  /** Focus follows the card that moved (on its move button when there is one, so pressing again goes on). */
  async focusCard(id: string, button?: 'up' | 'down'): Promise<void> {
    await tick();
    const card = document.querySelector<HTMLElement>(`[data-step-card="${CSS.escape(id)}"]`);
    if (!card) return;
    const target =
      (button && card.querySelector<HTMLButtonElement>(`[data-move="${button}"]:not(:disabled)`)) ||
      card.querySelector<HTMLElement>('[data-card-main]');
    target?.focus();
  }
}

export function setFlowEditor(editor: FlowEditor): FlowEditor {
  return setContext(KEY, editor);
}

export function flowEditor(): FlowEditor {
  return getContext<FlowEditor>(KEY);
}
