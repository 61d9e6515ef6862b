import { randomUUID } from 'node:crypto';
import {
  createAnthropicClient,
  type AnthropicClientSettings,
} from '../../lib/integrations/adapters/anthropic';
import { IntegrationError } from '../../lib/integrations/adapters/errors';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import {
  startAnthropicSandbox,
  type RecordedRequest,
  type SandboxServer,
} from '../../sandbox/anthropic/server';

/** The Claude adapter through the real @anthropic-ai/sdk against the Anthropic sandbox on a free port. */
describe('Anthropic adapter against the sandbox', () => {
  let sandbox: SandboxServer;
  let settings: AnthropicClientSettings;

  beforeAll(async () => {
    sandbox = await startAnthropicSandbox({ port: 0, chunkDelayMs: 2 });
    settings = {
      apiKey: SANDBOX_CREDENTIALS.anthropic.apiKey,
      baseUrl: sandbox.url,
      model: 'claude-sonnet-4-6',
    };
  });
  afterAll(() => sandbox?.close());

  /** Requests the sandbox saw whose prompt contains `marker` (each test uses its own unique marker). */
  async function requestsFor(marker: string): Promise<RecordedRequest[]> {
    const answer = (await (await fetch(`${sandbox.url}/sandbox/requests`)).json()) as {
      requests: RecordedRequest[];
    };
    return answer.requests.filter((r) => r.prompt?.includes(marker));
  }

  async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IntegrationError);
    return err as IntegrationError;
  }

  it('streams text in several deltas with token usage, derived from the prompt and repeatable', async () => {
    const claude = createAnthropicClient(settings);
    const deltas: string[] = [];
    const prompt = 'Write a short product review about ergonomic standing desks for programmers';
    const result = await claude.streamText({
      system: 'You are a helpful affiliate copywriter.',
      prompt,
      maxTokens: 400,
      onText: (d) => deltas.push(d),
    });

    expect(deltas.length).toBeGreaterThan(5);
    expect(result.deltas).toBe(deltas.length);
    expect(deltas.join('')).toBe(result.text);
    expect(result.text).toMatch(/ergonomic/i);
    expect(result.text).toMatch(/desks/i);
    expect(result.stopReason).toBe('end_turn');
    expect(result.inputTokens).toBeGreaterThan(10);
    expect(result.outputTokens).toBe(result.text.trim().split(/\s+/).length);

    const again = await claude.streamText({
      system: 'You are a helpful affiliate copywriter.',
      prompt,
      maxTokens: 400,
    });
    expect(again.text).toBe(result.text);
  });

  it('honours max_tokens: the text is cut and the stop reason says so', async () => {
    const result = await createAnthropicClient(settings).streamText({
      prompt: 'Describe sustainable gardening tips for small balconies',
      maxTokens: 7,
    });
    expect(result.stopReason).toBe('max_tokens');
    expect(result.outputTokens).toBe(7);
    expect(result.text.trim().split(/\s+/)).toHaveLength(7);
  });

  it("recovers through the SDK's own retry from a one-time 429 (the sandbox sees two requests)", async () => {
    const marker = randomUUID();
    const started = Date.now();
    const result = await createAnthropicClient(settings).streamText({
      prompt: `Summarise meditation apps ${marker} [sandbox:fail-once:429]`,
      maxTokens: 50,
    });
    expect(result.text).toMatch(/meditation/i);
    const seen = await requestsFor(marker);
    expect(seen.map((r) => r.status)).toEqual([200, 429]); // newest first
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // retry-after: 1 was honoured
  });

  it('gives up after the retries on 529 overloaded with a transient (retryable) error', async () => {
    const marker = randomUUID();
    const err = await failure(
      createAnthropicClient({ ...settings, maxRetries: 2 }).streamText({
        prompt: `Busy ${marker} [sandbox:529]`,
        maxTokens: 50,
      }),
    );
    expect(err).toMatchObject({ provider: 'anthropic', kind: 'unavailable', retryable: true, status: 529 });
    expect(err.plainMessage).toMatch(/overloaded/i);
    expect(await requestsFor(marker)).toHaveLength(3);
  });

  it('maps a persistent 500 to a transient error and a 429 to rate_limited with retry-after', async () => {
    const claude = createAnthropicClient({ ...settings, maxRetries: 0 });
    const serverError = await failure(
      claude.streamText({ prompt: `Broken ${randomUUID()} [sandbox:500]`, maxTokens: 9 }),
    );
    expect(serverError).toMatchObject({ kind: 'unavailable', retryable: true, status: 500 });

    const limited = await failure(
      claude.streamText({ prompt: `Limited ${randomUUID()} [sandbox:429]`, maxTokens: 9 }),
    );
    expect(limited).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterSeconds: 1,
    });
    expect(limited.providerCode).toBe('rate_limit_error');
  });

  it('refuses a bad key as a permanent auth error, without retrying', async () => {
    const marker = randomUUID();
    const claude = createAnthropicClient({ ...settings, apiKey: 'sk-ant-invalid-key' });
    const err = await failure(claude.streamText({ prompt: `Hello ${marker}`, maxTokens: 10 }));
    expect(err).toMatchObject({ kind: 'auth', retryable: false, status: 401 });
    expect(err.plainMessage).toMatch(/refused the credentials/);
    await expect(claude.testConnection()).rejects.toMatchObject({ kind: 'auth', retryable: false });
    const answer = (await (await fetch(`${sandbox.url}/sandbox/requests`)).json()) as {
      requests: RecordedRequest[];
    };
    // One refused POST (no SDK retry of a 401), then the refused model list.
    expect(answer.requests.slice(0, 2).map((r) => [r.path, r.status])).toEqual([
      ['/v1/models', 401],
      ['/v1/messages', 401],
    ]);
  });

  it('turns an error event in the middle of a stream into a transient error after some text arrived', async () => {
    const deltas: string[] = [];
    const err = await failure(
      createAnthropicClient(settings).streamText({
        prompt: `Explain budgeting apps ${randomUUID()} [sandbox:error-mid-stream]`,
        maxTokens: 200,
        onText: (d) => deltas.push(d),
      }),
    );
    expect(deltas.length).toBe(3);
    expect(err).toMatchObject({ kind: 'unavailable', retryable: true, providerCode: 'overloaded_error' });
    expect(err.status).toBeUndefined();
  });

  it('rejects an invalid request as permanent (invalid, not retried)', async () => {
    const err = await failure(createAnthropicClient(settings).streamText({ prompt: 'x', maxTokens: 0 }));
    expect(err).toMatchObject({ kind: 'invalid', retryable: false, status: 400 });
    expect(err.plainMessage).toMatch(/max_tokens/);
  });

  it('tests the connection with one cheap call', async () => {
    await expect(createAnthropicClient(settings).testConnection()).resolves.toEqual({
      ok: true,
      detail: expect.stringContaining('claude-sonnet-4-6') as string,
    });
  });

  it('reports an unreachable service as transient', async () => {
    const closed = await startAnthropicSandbox({ port: 0 });
    await closed.close();
    const err = await failure(
      createAnthropicClient({ ...settings, baseUrl: closed.url, maxRetries: 0 }).streamText({
        prompt: 'x',
        maxTokens: 5,
      }),
    );
    expect(err).toMatchObject({ kind: 'unavailable', retryable: true });
  });
});
