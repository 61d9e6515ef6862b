import request from 'supertest';
import { signStripeTestPayload } from '../../lib/integrations/adapters/stripe';
import { createTestApi, expectErrorShape, registerUser, type TestApi } from '../support/api';

// POST /webhooks/stripe through the real app: signature over the raw body, stored once per event id.
describe('Stripe webhook', () => {
  let api: TestApi;
  let secret: string;

  beforeAll(async () => {
    api = await createTestApi();
    secret = api.config.integrations.stripe.webhookSecret ?? '';
    expect(secret).toMatch(/^whsec_/);
  });
  afterAll(async () => {
    await api?.close();
  });

  const eventBody = (id: string, object: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        id,
        object: 'event',
        api_version: '2024-06-20',
        created: Math.floor(Date.now() / 1000),
        type: 'customer.subscription.updated',
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object: { id: 'sub_123', object: 'subscription', status: 'active', ...object } },
      },
      null,
      2, // pretty-printed like Stripe's: the signature must be checked over these exact bytes
    );

  const post = (body: string, signature?: string) => {
    const req = request(api.app).post('/webhooks/stripe').set('Content-Type', 'application/json');
    return (signature === undefined ? req : req.set('Stripe-Signature', signature)).send(body);
  };

  const storedRows = (eventId: string) =>
    api
      .db('webhook_events')
      .where({ source: 'stripe', external_id: eventId })
      .select('id', 'team_id', 'payload');

  it('accepts a signed event once, even when it is delivered twice', async () => {
    const owner = await registerUser(api.app, 'stripe-owner');
    const eventId = `evt_${Date.now()}a`;
    const body = eventBody(eventId, { metadata: { teamId: owner.personalTeamId } });

    const first = await post(body, signStripeTestPayload(body, secret));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: true, duplicate: false });
    // Stripe signs each delivery afresh: a new timestamp, same event id.
    const second = await post(body, signStripeTestPayload(body, secret, Math.floor(Date.now() / 1000) + 1));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      received: true,
      duplicate: true,
      eventId: (first.body as { eventId: string }).eventId,
    });

    const rows = await storedRows(eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      team_id: owner.personalTeamId,
      payload: { id: eventId, type: 'customer.subscription.updated' },
    });
  });

  it('refuses a bad signature with 400 and stores nothing', async () => {
    const eventId = `evt_${Date.now()}b`;
    const body = eventBody(eventId);
    const wrongSecret = await post(body, signStripeTestPayload(body, 'whsec_not_ours'));
    expect(wrongSecret.status).toBe(400);
    expectErrorShape(wrongSecret.body, 'stripe_signature_invalid');
    expect((wrongSecret.body as { error: { message: string } }).error.message).toMatch(/does not match/);

    // A valid signature over different bytes (the body was altered in transit).
    const tampered = await post(body.replace('active', 'canceled'), signStripeTestPayload(body, secret));
    expect(tampered.status).toBe(400);

    const missing = await post(body);
    expect(missing.status).toBe(400);
    expect((missing.body as { error: { message: string } }).error.message).toMatch(
      /Missing Stripe-Signature/,
    );

    expect(await storedRows(eventId)).toHaveLength(0);
  });

  it('refuses a stale timestamp (replay) with 400', async () => {
    const eventId = `evt_${Date.now()}c`;
    const body = eventBody(eventId);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const res = await post(body, signStripeTestPayload(body, secret, tenMinutesAgo));
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'stripe_signature_invalid');
    expect((res.body as { error: { message: string } }).error.message).toMatch(/stale or replayed/);
    expect(await storedRows(eventId)).toHaveLength(0);
  });

  it('leaves an event for an unknown team unmatched instead of failing', async () => {
    const eventId = `evt_${Date.now()}d`;
    const body = eventBody(eventId, { metadata: { teamId: '00000000-0000-4000-8000-000000000000' } });
    const res = await post(body, signStripeTestPayload(body, secret));
    expect(res.status).toBe(200);
    const rows = await storedRows(eventId);
    expect(rows).toEqual([expect.objectContaining({ team_id: null })]);
  });
});
