import type { AutomationDefinition } from './automations';
import {
  allIds,
  blankDefinition,
  childLanes,
  duplicateStep,
  getAt,
  insertStep,
  laneAt,
  moveStep,
  newStep,
  parsePath,
  removeStep,
  setAt,
  splitStepPath,
  stepAt,
  uniqueId,
  walkSteps,
} from './automation-tree';

function sample(): AutomationDefinition {
  return {
    version: 1,
    trigger: { type: 'manual' },
    steps: [
      {
        id: 'welcome',
        name: 'Welcome',
        type: 'send_email',
        config: { to: 'a@b.co', subject: 'Hi', body: 'x' },
      },
      {
        id: 'which',
        name: 'Which path',
        type: 'branch',
        config: {
          branches: [
            {
              when: 'trigger.vip == true',
              steps: [{ id: 'pause', name: 'Pause', type: 'wait', config: { duration: '1d' } }],
            },
          ],
          otherwise: [],
        },
        on_error: [{ id: 'oops', name: 'Oops', type: 'wait', config: { duration: '1h' } }],
      },
      { id: 'later', name: 'Later', type: 'wait', config: { duration: '2d' } },
    ],
  } as unknown as AutomationDefinition;
}

describe('automation tree paths', () => {
  it('parses and reads the API paths', () => {
    expect(parsePath('steps[1].config.branches[0].steps[0]')).toEqual([
      'steps',
      1,
      'config',
      'branches',
      0,
      'steps',
      0,
    ]);
    const def = sample();
    expect((getAt(def, 'steps[1].config.branches[0].steps[0]') as { id: string }).id).toBe('pause');
    expect(getAt(def, 'steps[9].config')).toBeUndefined();
    expect(stepAt(def, 'steps[1].on_error[0]')?.id).toBe('oops');
    expect(splitStepPath('steps[1].config.otherwise[2]')).toEqual({
      lane: 'steps[1].config.otherwise',
      index: 2,
    });
  });

  it('writes by path, making the lists and objects on the way', () => {
    const def = sample();
    setAt(def, 'steps[0].config.subject', 'Hello');
    expect(stepAt(def, 'steps[0]')?.config).toMatchObject({ subject: 'Hello' });
    const loose: Record<string, unknown> = {};
    setAt(loose, 'a.b[0].c', 1);
    expect(loose).toEqual({ a: { b: [{ c: 1 }] } });
  });

  it('lists the lanes of flow steps, on_error only when it holds steps', () => {
    const def = sample();
    const branch = stepAt(def, 'steps[1]')!;
    expect(childLanes(branch, 'steps[1]').map((l) => [l.path, l.label])).toEqual([
      ['steps[1].config.branches[0].steps', 'Path 1'],
      ['steps[1].config.otherwise', 'Otherwise'],
      ['steps[1].on_error', 'If this step fails'],
    ]);
    expect(childLanes(stepAt(def, 'steps[0]')!, 'steps[0]')).toEqual([]);
    expect(walkSteps(def).map((s) => s.path)).toEqual([
      'steps[0]',
      'steps[1]',
      'steps[1].config.branches[0].steps[0]',
      'steps[1].on_error[0]',
      'steps[2]',
    ]);
  });
});

describe('automation tree edits', () => {
  it('gives new steps unique ids from their type and starter settings', () => {
    const def = blankDefinition();
    const a = newStep('send_email', 'Send an email', allIds(def));
    insertStep(def, 'steps', 0, a);
    const b = newStep('send_email', 'Send an email', allIds(def));
    expect(a.id).toBe('send_email');
    expect(b.id).toBe('send_email_2');
    expect(a.config).toEqual({ to: '{{ trigger.email }}', subject: '', body: '' });
    expect(newStep('wait', 'Wait a while', new Set()).config).toEqual({ duration: '1d' });
    expect(uniqueId('Send email 2', new Set(['send_email']))).toBe('send_email_2');
    expect(uniqueId('9', new Set())).toBe('step');
  });

  it('inserts at any position of any lane, creating a lane left out', () => {
    const def = sample();
    const w = newStep('wait', 'Wait', allIds(def));
    expect(insertStep(def, 'steps[1].config.otherwise', 0, w)).toBe('steps[1].config.otherwise[0]');
    delete (stepAt(def, 'steps[0]') as { on_error?: unknown }).on_error;
    const w2 = newStep('wait', 'Wait', allIds(def));
    expect(insertStep(def, 'steps[0].on_error', 5, w2)).toBe('steps[0].on_error[0]');
    expect(w2.id).toBe('wait_2');
    expect(laneAt(def, 'steps[0].on_error').map((s) => s.id)).toEqual(['wait_2']);
  });

  it('moves within a lane and stays put at its ends', () => {
    const def = sample();
    expect(moveStep(def, 'steps[2]', 1)).toBe('steps[1]');
    expect(def.steps.map((s) => s.id)).toEqual(['welcome', 'later', 'which']);
    expect(moveStep(def, 'steps[0]', -1)).toBe('steps[0]');
    expect(moveStep(def, 'steps[2]', 3)).toBe('steps[2]');
  });

  it('duplicates a step and everything inside it with fresh ids', () => {
    const def = sample();
    const path = duplicateStep(def, 'steps[1]');
    expect(path).toBe('steps[2]');
    const copy = stepAt(def, path)!;
    expect(copy.id).toBe('which_2');
    expect(copy.name).toBe('Which path (copy)');
    const ids = walkSteps(def).map((s) => s.step.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(getAt(copy, 'config.branches[0].steps[0].id')).toBe('pause_2');
    expect(getAt(copy, 'on_error[0].id')).toBe('oops_2');
    // The original is untouched.
    expect(getAt(def, 'steps[1].config.branches[0].steps[0].id')).toBe('pause');
  });

  it('removes a step with what it holds', () => {
    const def = sample();
    expect(removeStep(def, 'steps[1]')?.id).toBe('which');
    expect([...allIds(def)]).toEqual(['welcome', 'later']);
  });
});
