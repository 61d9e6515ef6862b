import { dryRunStep, type DryRunOptions } from './dry-run';
import type { ExpressionScope } from './expressions';
import { ConfigFieldError } from './resolve-config';
import { ConfigValueError } from './step-config';

const scope: ExpressionScope = {
  trigger: {
    email: 'ann@example.com',
    first: 'Ann',
    amount: 47.5,
    interests: ['keto', 'yoga'],
    token: 's3cret',
  },
  steps: { draft: { output: { title: 'Keto review' } } },
  vars: {},
  run: { id: 'auto:a:1' },
};

const opts: DryRunOptions = {
  http: {
    allowedHosts: [],
    timeoutMs: 10_000,
    maxResponseBytes: 1024,
    maxRequestBytes: 4096,
    maxRedirects: 5,
  },
  resolve: (host) =>
    Promise.resolve(
      host === 'internal.example'
        ? [{ address: '10.0.0.5', family: 4 }]
        : [{ address: '93.184.216.34', family: 4 }],
    ),
  now: new Date('2026-12-06T00:00:00Z'),
};

async function failure(work: () => Promise<unknown>): Promise<ConfigFieldError | ConfigValueError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ConfigFieldError || error instanceof ConfigValueError) return error;
    throw error;
  }
  throw new Error('expected a field error');
}

describe('dryRunStep', () => {
  it('send_email: the rendered email, and what the send adds', async () => {
    const result = await dryRunStep(
      {
        id: 'welcome',
        type: 'send_email',
        config: {
          to: '{{ trigger.email }}',
          subject: 'Hi {{ trigger.first }}',
          body: 'Total {{ trigger.amount }}\n\nSee https://x.test/a',
        },
      },
      scope,
      opts,
    );
    expect(result.config).toMatchObject({ to: 'ann@example.com', subject: 'Hi Ann' });
    const email = result.preview.email as Record<string, string>;
    expect(email).toMatchObject({
      to: 'ann@example.com',
      subject: 'Hi Ann',
      text_body: 'Total 47.5\n\nSee https://x.test/a',
    });
    expect(email.html_body).toContain('<a href="https://x.test/a">');
    expect(result.preview.left_out).toMatch(/unsubscribe footer/);
  });

  it('http_request: the request with secrets masked, and an allowed destination', async () => {
    const result = await dryRunStep(
      {
        id: 'crm',
        type: 'http_request',
        config: {
          method: 'POST',
          url: 'https://crm.example.com/leads?api_key={{ trigger.token }}',
          headers: { Authorization: 'Bearer {{ trigger.token }}', 'X-Amount': '{{ trigger.amount }}' },
          body: { email: '{{ trigger.email }}' },
          timeout: '30s',
          max_response_bytes: 4096,
        },
      },
      scope,
      opts,
    );
    const preview = result.preview as {
      request: { url: string; headers: Record<string, string>; body: string };
      timeout_ms: number;
      max_response_bytes: number;
      destination: { refused: boolean; addresses: string[] };
    };
    expect(preview.request.url).toBe('https://crm.example.com/leads?api_key=****');
    expect(preview.request.headers.authorization ?? preview.request.headers.Authorization).toBe(
      'Bearer ****',
    );
    expect(JSON.stringify(result)).not.toContain('s3cret');
    expect(result.config).toMatchObject({ headers: { Authorization: 'Bearer ****', 'X-Amount': '47.5' } });
    expect(JSON.parse(preview.request.body)).toEqual({ email: 'ann@example.com' });
    // The operator's limits cap the step's.
    expect(preview.timeout_ms).toBe(10_000);
    expect(preview.max_response_bytes).toBe(1024);
    expect(preview.destination).toMatchObject({ refused: false, addresses: ['93.184.216.34'] });
  });

  it('http_request: a loopback literal and a name resolving to a private address are refused', async () => {
    const loop = await dryRunStep(
      { id: 'a', type: 'http_request', config: { url: 'http://127.0.0.1:8080/x' } },
      scope,
      opts,
    );
    expect(loop.preview.destination).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/loopback/) as string,
    });
    const internal = await dryRunStep(
      { id: 'b', type: 'http_request', config: { url: 'http://internal.example/x' } },
      scope,
      opts,
    );
    expect(internal.preview.destination).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/private/) as string,
    });
  });

  it('names the field of a missing path, and of a value that is not what the field needs', async () => {
    const missing = await failure(() =>
      dryRunStep(
        {
          id: 'a',
          type: 'http_request',
          config: { url: 'https://x.test/', headers: { 'X-Id': '{{ trigger.nope }}' } },
        },
        scope,
        opts,
      ),
    );
    expect(missing).toBeInstanceOf(ConfigFieldError);
    expect(missing.path).toBe('config.headers.X-Id');
    const notEmail = await failure(() =>
      dryRunStep(
        { id: 'a', type: 'send_email', config: { to: '{{ trigger.first }}', subject: 's', body: 'b' } },
        scope,
        opts,
      ),
    );
    expect(notEmail).toBeInstanceOf(ConfigValueError);
    expect(notEmail.path).toBe('config.to');
    const badId = await failure(() =>
      dryRunStep(
        {
          id: 'a',
          type: 'add_to_sequence',
          config: { sequence_id: '{{ trigger.first }}', contact: 'x@y.test' },
        },
        scope,
        opts,
      ),
    );
    expect(badId.path).toBe('config.sequence_id');
    const badIf = await failure(() =>
      dryRunStep({ id: 'a', type: 'wait', config: { duration: '1h' }, if: 'trigger.nope > 1' }, scope, opts),
    );
    expect(badIf.path).toBe('if');
  });

  it('flow steps: branch conditions, for_each items, wait_until date', async () => {
    const branch = await dryRunStep(
      {
        id: 'b',
        type: 'branch',
        config: {
          branches: [
            { when: 'trigger.amount > 100.0', steps: [] },
            { when: '"keto" in trigger.interests', steps: [] },
          ],
          otherwise: [],
        },
      },
      scope,
      opts,
    );
    expect(branch.preview).toEqual({ branches: [false, true], runs: 'branches[1]' });
    const each = await dryRunStep(
      {
        id: 'e',
        type: 'for_each',
        config: { items: 'trigger.interests', as: 'item', max_items: 1, concurrency: 1, steps: [] },
      },
      scope,
      opts,
    );
    expect(each.config).toMatchObject({ items: ['keto', 'yoga'] });
    expect(each.preview).toMatchObject({ count: 2, over_max_items: true });
    const until = await dryRunStep(
      { id: 'w', type: 'wait_until', config: { until: '2026-12-24T18:00:00+01:00' } },
      scope,
      opts,
    );
    expect(until.preview).toEqual({ until: '2026-12-24T17:00:00.000Z', in_past: false });
    const far = await failure(() =>
      dryRunStep({ id: 'w', type: 'wait_until', config: { until: '2028-01-01T00:00:00Z' } }, scope, opts),
    );
    expect(far.path).toBe('config.until');
    const branchError = await failure(() =>
      dryRunStep(
        {
          id: 'b',
          type: 'branch',
          config: { branches: [{ when: 'trigger.missing', steps: [] }], otherwise: [] },
        },
        scope,
        opts,
      ),
    );
    expect(branchError.path).toBe('config.branches[0].when');
  });

  it('set_variable shows the variable, and a false if is shown', async () => {
    const result = await dryRunStep(
      {
        id: 'v',
        type: 'set_variable',
        config: { name: 'title', value: '{{ steps.draft.output.title }}' },
        if: 'trigger.amount < 10.0',
      },
      scope,
      opts,
    );
    expect(result.preview).toEqual({ if: false, vars: { title: 'Keto review' } });
  });
});
