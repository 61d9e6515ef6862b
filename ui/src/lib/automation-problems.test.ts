import {
  fieldWords,
  locateProblem,
  problemsInLane,
  problemsWithin,
  sortProblems,
} from './automation-problems';

describe('automation problems', () => {
  it('finds the step and the field of a nested path', () => {
    expect(locateProblem('definition.steps[1].config.branches[0].steps[0].config.to')).toEqual({
      kind: 'step',
      step: 'steps[1].config.branches[0].steps[0]',
      field: 'config.to',
    });
    expect(locateProblem('definition.steps[0].on_error[2].config.for_each')).toEqual({
      kind: 'step',
      step: 'steps[0].on_error[2]',
      field: 'config.for_each',
    });
    expect(locateProblem('definition.steps[3].config.steps[1].config.on_timeout[0].name')).toEqual({
      kind: 'step',
      step: 'steps[3].config.steps[1].config.on_timeout[0]',
      field: 'name',
    });
    // A branch's condition is a field of the branch step, not a step of its own.
    expect(locateProblem('definition.steps[1].config.branches[0].when')).toEqual({
      kind: 'step',
      step: 'steps[1]',
      field: 'config.branches[0].when',
    });
    expect(locateProblem('steps[2]')).toEqual({ kind: 'step', step: 'steps[2]', field: '' });
  });

  it('puts trigger problems on the trigger and the rest in the general list', () => {
    expect(locateProblem('definition.trigger.cron')).toEqual({ kind: 'trigger', field: 'cron' });
    expect(locateProblem('definition.trigger')).toEqual({ kind: 'trigger', field: '' });
    expect(locateProblem('definition.steps')).toEqual({ kind: 'general', path: 'steps' });
    expect(locateProblem('definition')).toEqual({ kind: 'general', path: '' });
  });

  it('sorts a whole answer and counts nested problems for collapsed groups', () => {
    const sorted = sortProblems([
      { path: 'definition.steps', message: 'add at least one step' },
      { path: 'definition.steps[0].config.duration', message: 'at most 365 days' },
      { path: 'definition.steps[0].config.steps[1].config.to', message: 'an email address' },
      { path: 'definition.trigger.timezone', message: 'unknown time zone' },
    ]);
    expect(sorted.count).toBe(4);
    expect(sorted.general).toEqual([{ path: 'steps', message: 'Add a first step with the + button' }]);
    expect(sorted.byStep['steps[0]']).toEqual([{ field: 'config.duration', message: 'At most 365 days' }]);
    expect(sorted.trigger).toEqual([{ field: 'timezone', message: 'Unknown time zone' }]);
    expect(problemsWithin(sorted, 'steps[0]')).toBe(2);
    expect(problemsWithin(sorted, 'steps[1]')).toBe(0);
    expect(problemsInLane(sorted, 'steps[0].config.steps')).toBe(1);
    expect(problemsInLane(sorted, 'steps[0].on_error')).toBe(0);
    expect(fieldWords('config.branches[0].when')).toBe('branches 1 when');
  });

  it("says what to do in the builder's words where the API speaks of expressions", () => {
    const sorted = sortProblems([
      { path: 'definition.steps[0].config.to', message: 'an email address or a {{ }} expression giving one' },
      {
        path: 'definition.steps[0].config.campaign_id',
        message: 'a campaign id or a {{ }} expression giving one',
      },
    ]);
    expect(sorted.byStep['steps[0]']).toEqual([
      {
        field: 'config.to',
        message: 'Enter an email address with an @, like ann@example.com, or use Insert a value',
      },
      { field: 'config.campaign_id', message: 'Choose a campaign, or use Insert a value' },
    ]);
  });
});
