import type { AutomationDefinition } from './automations';
import { builderSample, lastRunSample, withStandIns } from './automation-last-run';

describe('the last run as the builder sample', () => {
  const runDetail = {
    run: {
      payload: { email: 'ann@example.com' },
      state: {
        steps: {
          welcome: { status: 'succeeded', output: { message_id: 'm1' } },
          wait: { status: 'waiting' },
        },
        vars: { first: 'Ann' },
      },
    },
  };

  it('reads the newest run, then its trigger payload, step outputs and variables', async () => {
    const asked: string[] = [];
    const get = <T>(path: string): Promise<T> => {
      asked.push(path);
      return Promise.resolve(
        (path.includes('/runs?') ? { runs: [{ workflowId: 'auto:a/1' }] } : runDetail) as T,
      );
    };
    const run = await lastRunSample(get, '/teams/t1', 'a1');
    expect(asked).toEqual([
      '/teams/t1/automations/a1/runs?limit=1',
      '/teams/t1/automation-runs/auto%3Aa%2F1',
    ]);
    expect(run).toEqual({
      workflowId: 'auto:a/1',
      trigger: { email: 'ann@example.com' },
      steps: { welcome: { output: { message_id: 'm1' } } },
      vars: { first: 'Ann' },
    });
  });

  it('is null when the automation has not run', async () => {
    const get = <T>(): Promise<T> => Promise.resolve({ runs: [] } as T);
    expect(await lastRunSample(get, '/teams/t1', 'a1')).toBeNull();
  });

  it('prefers the last run and says where the values come from', () => {
    const last = { workflowId: 'w', trigger: { a: 1 }, steps: {}, vars: { v: 2 } };
    expect(builderSample({ a: 0 }, last)).toEqual({
      trigger: { a: 1 },
      steps: {},
      vars: { v: 2 },
      source: 'last run',
    });
    expect(builderSample({ a: 0 }, null)).toEqual({ trigger: { a: 0 }, source: 'sample' });
  });

  it('stands in for the outputs and variables the sample does not know', () => {
    const definition = {
      version: 1,
      trigger: { type: 'manual' },
      steps: [
        {
          id: 'welcome',
          name: 'Welcome',
          type: 'send_email',
          config: { to: 'a@example.com', subject: 'Hi', body: 'Hi' },
        },
        { id: 'seen', name: 'Remember', type: 'set_variable', config: { name: 'first', value: 'x' } },
        { id: 'known', name: 'Known', type: 'set_variable', config: { name: 'kept', value: 'x' } },
      ],
    } as unknown as AutomationDefinition;
    const sample = withStandIns(
      {
        trigger: { a: 1 },
        steps: { known: { output: { name: 'kept', value: 'real' } } },
        vars: { kept: 'real' },
      },
      definition,
    );
    expect(sample.trigger).toEqual({ a: 1 });
    expect(sample.steps?.welcome).toMatchObject({ output: { message_id: '‹the email sent›' } });
    expect(sample.steps?.known).toEqual({ output: { name: 'kept', value: 'real' } });
    expect(sample.vars).toEqual({ first: '‹set by “Remember”›', kept: 'real' });
  });
});
