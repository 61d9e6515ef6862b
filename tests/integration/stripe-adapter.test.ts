import { ApplicationFailure } from '@temporalio/common';
import { IntegrationError, toActivityFailure } from '../../lib/integrations/adapters/errors';
import { createStripeClient, toStripeIntegrationError } from '../../lib/integrations/adapters/stripe';
import { startStripeMockSandbox, type SandboxServer } from '../../sandbox/stripe-mock/server';
import { findFreePort } from '../../temporal/free-port';

// The real `stripe` SDK against stripe-mock (Stripe's own simulator) on a free port.
describe('Stripe adapter against stripe-mock', () => {
  let mock: SandboxServer;

  beforeAll(async () => {
    mock = await startStripeMockSandbox({ port: 0 });
  });
  afterAll(async () => {
    await mock?.close();
  });

  const client = (secretKey = 'sk_test_123') =>
    createStripeClient({
      secretKey,
      host: '127.0.0.1',
      port: mock.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });

  it('testConnection makes a real balance call', async () => {
    await expect(client().testConnection()).resolves.toEqual({
      ok: true,
      detail: expect.stringContaining('Connected to Stripe (test mode') as unknown,
    });
  });

  it('creates a team customer and a subscription checkout session', async () => {
    const stripe = client();
    const teamId = '1f1e1d1c-0000-4000-8000-000000000001';
    const customer = await stripe.ensureCustomer({ teamId, name: 'Team A', email: 'owner@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    // A recorded customer is retrieved, not created again.
    const again = await stripe.ensureCustomer({ teamId, name: 'Team A', customerId: customer.id });
    expect(again.object).toBe('customer');

    const session = await stripe.createCheckoutSession({
      teamId,
      customerId: customer.id,
      priceId: 'price_123',
      successUrl: 'http://localhost:3000/billing?ok=1',
      cancelUrl: 'http://localhost:3000/billing',
    });
    expect(session.id).toMatch(/^cs_/);
    expect(session.url).toMatch(/^https:\/\//);
  });

  it('refused credentials become a permanent (non-retryable) auth failure', async () => {
    const err = await client('sk_invalid')
      .testConnection()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ provider: 'stripe', kind: 'auth', status: 401, retryable: false });
    const failure = toActivityFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'stripe.auth', nonRetryable: true });
  });

  it('a request Stripe refuses as invalid is permanent', async () => {
    // stripe-mock validates parameters against Stripe's OpenAPI spec, as Stripe does.
    const refused = await client()
      .sdk.customers.create({ not_a_parameter: 'x' } as never)
      .catch((e: unknown) => e);
    expect(toStripeIntegrationError(refused)).toMatchObject({
      provider: 'stripe',
      kind: 'invalid',
      status: 400,
      retryable: false,
    });
  });

  it('an unreachable Stripe is a transient (retryable) failure', async () => {
    const port = await findFreePort();
    const down = createStripeClient({
      secretKey: 'sk_test_123',
      host: '127.0.0.1',
      port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const err = await down.testConnection().catch((e: unknown) => e);
    expect(err).toMatchObject({ provider: 'stripe', kind: 'unavailable', retryable: true });
    expect(toActivityFailure(err)).toMatchObject({ type: 'stripe.unavailable', nonRetryable: false });
  });

  it('the sandbox wrapper serves on the port it reports and close() stops stripe-mock', async () => {
    const own = await startStripeMockSandbox({ port: 0 });
    expect(own.url).toBe(`http://127.0.0.1:${own.port}`);
    const ok = await fetch(`${own.url}/v1/balance`, { headers: { Authorization: 'Bearer sk_test_123' } });
    expect(ok.status).toBe(200);
    await own.close();
    await expect(fetch(`${own.url}/v1/balance`)).rejects.toThrow();
  });
});
