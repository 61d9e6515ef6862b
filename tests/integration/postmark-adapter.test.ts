import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { IntegrationError, toActivityFailure } from '../../lib/integrations/adapters/errors';
import { createPostmarkSender, type PostmarkSenderSettings } from '../../lib/integrations/adapters/postmark';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import {
  startPostmarkSandbox,
  type RecordedRequest,
  type SandboxServer,
} from '../../sandbox/postmark/server';
import { createTemporalClient, type TemporalClient } from '../../temporal/client';
import { installTemporalRuntime } from '../../temporal/runtime-logger';
import type {
  PostmarkSendTestInput,
  postmarkSendTestWorkflow,
} from '../support/workflows/postmark-send.workflow';

/** The Postmark adapter through the real `postmark` SDK against the Postmark sandbox on a free port. */
describe('Postmark adapter against the sandbox', () => {
  let sandbox: SandboxServer;
  let settings: PostmarkSenderSettings;

  beforeAll(async () => {
    sandbox = await startPostmarkSandbox({ port: 0 });
    settings = {
      ...SANDBOX_CREDENTIALS.postmark,
      requestHost: new URL(sandbox.url).host,
      useHttps: false,
    };
  });
  afterAll(() => sandbox?.close());

  async function messages(query = ''): Promise<RecordedMessage[]> {
    const res = await fetch(`${sandbox.url}/sandbox/messages${query}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }
  async function requestsTo(address: string): Promise<RecordedRequest[]> {
    const res = await fetch(`${sandbox.url}/sandbox/requests`);
    return ((await res.json()) as { requests: RecordedRequest[] }).requests.filter((r) =>
      r.to.includes(address),
    );
  }
  async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IntegrationError);
    return err as IntegrationError;
  }
  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}@example.test`;

  it('sends one message, recorded with To, Subject, bodies, Tag, Metadata and stream', async () => {
    const to = unique('reader');
    const sent = await createPostmarkSender(settings).sendEmail({
      to,
      subject: 'Your bonus is here',
      htmlBody: '<p>Download <a href="https://example.test/b">your bonus</a></p>',
      textBody: 'Download your bonus: https://example.test/b',
      tag: 'bonus-delivery',
      metadata: { receipt: 'ABC123', campaign: 'keto' },
    });
    expect(sent).toMatchObject({ to, messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string });

    const [recorded] = await messages(`?to=${encodeURIComponent(to)}`);
    expect(recorded).toMatchObject({
      MessageID: sent.messageId,
      From: SANDBOX_CREDENTIALS.postmark.fromEmail,
      To: to,
      Subject: 'Your bonus is here',
      TextBody: 'Download your bonus: https://example.test/b',
      Tag: 'bonus-delivery',
      Metadata: { receipt: 'ABC123', campaign: 'keto' },
      MessageStream: 'outbound',
    });
    expect(recorded?.HtmlBody).toContain('your bonus');
    const page = await (await fetch(`${sandbox.url}/?id=${sent.messageId}`)).text();
    expect(page).toContain('Your bonus is here');
    expect(page).not.toContain('<a href="https://example.test/b">'); // shown escaped inside the sandboxed iframe
  });

  it('sends a batch with per-message results: a suppressed recipient is reported, not thrown', async () => {
    const tag = `batch-${randomUUID()}`;
    const suppressed = unique('bounced');
    await fetch(`${sandbox.url}/sandbox/suppressions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: suppressed }),
    });
    const recipients = [unique('a'), suppressed, unique('b')];
    const results = await createPostmarkSender(settings).sendBatch(
      recipients.map((to) => ({ to, subject: `Drip day 1 for ${to}`, textBody: 'Hello', tag })),
    );

    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      ok: false,
      to: suppressed,
      errorCode: 406,
      kind: 'invalid',
      retryable: false,
    });
    const recorded = await messages(`?tag=${tag}`);
    expect(recorded.map((m) => m.To)).toEqual([recipients[2], recipients[0]]); // newest first
  });

  it('treats an inactive recipient (406) as permanent, after one request', async () => {
    const to = unique('gone').replace('example.test', 'inactive.sandbox.test');
    const err = await failure(createPostmarkSender(settings).sendEmail({ to, subject: 'Hi', textBody: 'x' }));
    expect(err).toMatchObject({
      provider: 'postmark',
      kind: 'invalid',
      retryable: false,
      providerCode: 406,
      status: 422,
    });
    expect(err.plainMessage).toContain(to);
    expect(await requestsTo(to)).toHaveLength(1);
  });

  it('treats an invalid address (300) and a refused token (10) as permanent', async () => {
    const invalid = await failure(
      createPostmarkSender(settings).sendEmail({ to: 'not-an-address', subject: 'Hi', textBody: 'x' }),
    );
    expect(invalid).toMatchObject({ kind: 'invalid', retryable: false, providerCode: 300 });

    const refused = createPostmarkSender({ ...settings, serverToken: 'invalid-token' });
    const auth = await failure(refused.sendEmail({ to: unique('x'), subject: 'Hi', textBody: 'x' }));
    expect(auth).toMatchObject({ kind: 'auth', retryable: false, providerCode: 10, status: 401 });
    await expect(refused.testConnection()).rejects.toMatchObject({ kind: 'auth' });
  });

  it('treats 429 and 500 as transient; the next attempt goes through', async () => {
    const sender = createPostmarkSender(settings);
    const limited = 'ratelimit+1@example.test'; // this sandbox is fresh: its first send to it is refused
    const err = await failure(sender.sendEmail({ to: limited, subject: 'Hi', textBody: 'x' }));
    expect(err).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429 });
    await expect(sender.sendEmail({ to: limited, subject: 'Hi', textBody: 'x' })).resolves.toMatchObject({
      to: limited,
    });

    const broken = 'error500+1@example.test';
    const serverError = await failure(sender.sendEmail({ to: broken, subject: 'Hi', textBody: 'x' }));
    expect(serverError).toMatchObject({ kind: 'unavailable', retryable: true, status: 500 });
  });

  it('tests the connection with one cheap call', async () => {
    await expect(createPostmarkSender(settings).testConnection()).resolves.toEqual({
      ok: true,
      detail: 'Postmark accepted the server token (server "Hopflow sandbox").',
    });
  });

  describe('through Temporal', () => {
    jest.setTimeout(120_000);
    let temporal: TemporalClient;
    let worker: Worker;
    let running: Promise<void>;
    const taskQueue = `postmark-test-${randomUUID()}`;

    beforeAll(async () => {
      const config = loadConfig();
      // Activity failures are expected here: route the SDK's logs through our (silent in tests) logger.
      installTemporalRuntime(createLogger(config, 'postmark-test-worker'));
      temporal = await createTemporalClient(config);
      const connection = await NativeConnection.connect({ address: config.temporal.address });
      worker = await Worker.create({
        connection,
        namespace: config.temporal.namespace,
        taskQueue,
        workflowsPath: require.resolve('../support/workflows/postmark-send.workflow'),
        activities: {
          // The production pattern: the adapter throws IntegrationError, the activity rethrows it typed.
          async sendTestEmail(input: PostmarkSendTestInput) {
            const { attempt } = Context.current().info;
            try {
              const sent = await createPostmarkSender(settings).sendEmail({
                to: input.to,
                subject: input.subject,
                textBody: `attempt ${attempt}`,
              });
              return { messageId: sent.messageId, attempt };
            } catch (err) {
              throw toActivityFailure(err);
            }
          },
        },
      });
      running = worker.run().finally(() => connection.close());
    });
    afterAll(async () => {
      worker?.shutdown();
      await running;
      await temporal?.close();
    });

    it('retries a rate-limited send until it succeeds on attempt 3', async () => {
      const to = 'ratelimit+2@temporal.example.test';
      const result = await temporal.client.workflow.execute<typeof postmarkSendTestWorkflow>(
        'postmarkSendTestWorkflow',
        {
          taskQueue,
          workflowId: `postmark-test-${randomUUID()}`,
          args: [{ to, subject: 'Retried by Temporal' }],
        },
      );
      expect(result).toMatchObject({ attempt: 3 });
      expect((await requestsTo(to)).map((r) => r.status)).toEqual([200, 429, 429]);
      const [recorded] = await messages(`?to=${encodeURIComponent(to)}`);
      expect(recorded).toMatchObject({ Subject: 'Retried by Temporal', TextBody: 'attempt 3' });
    });

    it('fails a suppressed recipient after exactly one attempt (non-retryable)', async () => {
      const to = unique('temporal').replace('example.test', 'inactive.sandbox.test');
      const handle = await temporal.client.workflow.start<typeof postmarkSendTestWorkflow>(
        'postmarkSendTestWorkflow',
        {
          taskQueue,
          workflowId: `postmark-test-${randomUUID()}`,
          args: [{ to, subject: 'Never delivered' }],
        },
      );
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const activityFailure = (err as WorkflowFailedError).cause;
      expect(activityFailure).toBeInstanceOf(ActivityFailure);
      const cause = (activityFailure as ActivityFailure).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({ type: 'postmark.invalid', nonRetryable: true });
      expect((cause as ApplicationFailure).message).toContain(to);

      expect(await requestsTo(to)).toHaveLength(1);
      const history = await handle.fetchHistory();
      const scheduled = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
      expect(scheduled).toHaveLength(1);
      expect(scheduled[0]?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    });
  });
});
