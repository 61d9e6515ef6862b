import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { automationRunIdPrefix } from '../../workflows/contracts/automation-run';
import {
  anyString,
  bearer,
  createTeamWith,
  createTestApi,
  expectErrorShape,
  registerUser,
  type RegisteredUser,
  type TestApi,
} from '../support/api';

interface Started {
  run_id: string | null;
  workflow_id: string | null;
  status: 'started' | 'duplicate' | 'filtered';
}
interface Delivery {
  status: string;
  key: string | null;
  keySource: string | null;
  reason: string | null;
  runWorkflowId: string | null;
}

const steps = [{ id: 'note', name: 'Note it', type: 'set_variable', config: { name: 'seen', value: true } }];

/**
 * The public webhook door of automations against real PostgreSQL and the Temporal dev server. No worker runs the
 * interpreter here: a started run waits in the task queue, which is all a delivery needs.
 */
describe('automation webhooks', () => {
  jest.setTimeout(120_000);
  let api: TestApi;
  let owner: RegisteredUser;
  let outsider: RegisteredUser;
  let teamId: string;
  let otherTeamId: string;

  const client = () => api.deps.temporal!.client;
  const hook = (id: string) => `/api/v1/hooks/${id}`;
  const automationsUrl = (team = teamId) => `/api/v1/teams/${team}/automations`;

  /** Creates and activates a webhook automation; returns its id and secret. */
  async function webhookAutomation(
    trigger: Record<string, unknown>,
  ): Promise<{ id: string; secret: string }> {
    const created = await request(api.app)
      .post(automationsUrl())
      .set(bearer(owner.accessToken))
      .send({ name: 'Hook', definition: { version: 1, trigger: { type: 'webhook', ...trigger }, steps } });
    expect(created.status).toBe(201);
    const id = (created.body as { automation: { id: string } }).automation.id;
    await request(api.app)
      .post(`${automationsUrl()}/${id}/activate`)
      .set(bearer(owner.accessToken))
      .expect(200);
    const info = await request(api.app)
      .get(`${automationsUrl()}/${id}/webhook`)
      .set(bearer(owner.accessToken));
    expect(info.status).toBe(200);
    return { id, secret: (info.body as { webhook: { secret: string } }).webhook.secret };
  }

  async function deliveries(id: string): Promise<Delivery[]> {
    const res = await request(api.app)
      .get(`${automationsUrl()}/${id}/deliveries`)
      .set(bearer(owner.accessToken));
    expect(res.status).toBe(200);
    return (res.body as { deliveries: Delivery[] }).deliveries;
  }

  async function runRows(id: string) {
    return api
      .db('automation_runs')
      .where({ automation_id: id })
      .select('workflow_id', 'trigger_source', 'payload');
  }

  function signed(secret: string, body: string, opts: { id?: string; at?: Date } = {}) {
    const msgId = opts.id ?? `msg_${Math.random().toString(36).slice(2)}`;
    const at = opts.at ?? new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, body),
    };
  }

  beforeAll(async () => {
    api = await createTestApi({ temporal: true });
    owner = await registerUser(api.app, 'hooks-owner');
    outsider = await registerUser(api.app, 'hooks-outsider');
    teamId = await createTeamWith(api.app, owner, [], 'Hooks');
    otherTeamId = await createTeamWith(api.app, outsider, [], 'Other hooks');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('token scheme: the right bearer token starts a run; a wrong or missing one is refused and recorded', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'token' } });
    const good = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .set('Idempotency-Key', 'order-1')
      .send({ order: 1 });
    expect(good.status).toBe(202);
    const started = good.body as Started;
    expect(started).toEqual({
      run_id: anyString,
      workflow_id: `auto:${id}:order-1`,
      status: 'started',
    });

    const wrong = await request(api.app)
      .post(hook(id))
      .set('Authorization', 'Bearer nope')
      .send({ order: 2 });
    expect(wrong.status).toBe(401);
    expectErrorShape(wrong.body, 'webhook_unauthorized');
    const missing = await request(api.app).post(hook(id)).send({ order: 3 });
    expect(missing.status).toBe(401);

    const list = await deliveries(id);
    expect(list.map((d) => d.status).sort()).toEqual(['refused', 'refused', 'started']);
    expect(list.filter((d) => d.status === 'refused').every((d) => d.reason && d.key === null)).toBe(true);
    const rows = await runRows(id);
    expect(rows).toEqual([
      { workflow_id: started.workflow_id, trigger_source: 'webhook', payload: { order: 1 } },
    ]);
    const description = await client().workflow.getHandle(started.workflow_id!).describe();
    expect(description.type).toBe('automationRunWorkflow');
    expect(description.searchAttributes.AutomationId).toEqual([id]);
  });

  it('Standard Webhooks: a good signature starts a run; a bad one and an expired timestamp are refused', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'standard_webhooks' } });
    const body = JSON.stringify({ customer: { email: 'a@example.com' } });
    const good = await request(api.app)
      .post(hook(id))
      .set(signed(secret, body, { id: 'msg_good' }))
      .send(body);
    expect(good.status).toBe(202);
    expect((good.body as Started).workflow_id).toBe(`auto:${id}:msg_good`);

    const tampered = await request(api.app)
      .post(hook(id))
      .set(signed(secret, body, { id: 'msg_bad' }))
      .send(body.replace('a@', 'b@'));
    expect(tampered.status).toBe(401);
    const otherKey = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const at = new Date();
    const forged = await request(api.app)
      .post(hook(id))
      .set({
        ...signed(secret, body, { id: 'msg_forged', at }),
        'webhook-signature': otherKey.sign('msg_forged', at, body),
      })
      .send(body);
    expect(forged.status).toBe(401);
    const old = await request(api.app)
      .post(hook(id))
      .set(signed(secret, body, { id: 'msg_old', at: new Date(Date.now() - 10 * 60_000) }))
      .send(body);
    expect(old.status).toBe(401);
    expect((old.body as { error: { message: string } }).error.message).toMatch(/webhook-timestamp/);

    const list = await deliveries(id);
    expect(list.filter((d) => d.status === 'refused')).toHaveLength(3);
    expect(list.filter((d) => d.status === 'started')).toHaveLength(1);
  });

  it('a longer tolerance from the trigger accepts an older signature', async () => {
    const { id, secret } = await webhookAutomation({
      auth: { scheme: 'standard_webhooks', tolerance: '1h' },
    });
    const body = '{"late":true}';
    const res = await request(api.app)
      .post(hook(id))
      .set(signed(secret, body, { at: new Date(Date.now() - 30 * 60_000) }))
      .send(body);
    expect(res.status).toBe(202);
  });

  it('the same delivery sent 10 times at once: one started, nine duplicates, one workflow execution', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'standard_webhooks' } });
    const body = JSON.stringify({ sale: 'R-42' });
    const headers = signed(secret, body, { id: 'msg_same' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => request(api.app).post(hook(id)).set(headers).send(body)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    const bodies = answers.map((a) => a.body as Started);
    expect(bodies.filter((b) => b.status === 'started')).toHaveLength(1);
    expect(bodies.filter((b) => b.status === 'duplicate')).toHaveLength(9);
    expect(new Set(bodies.map((b) => b.workflow_id))).toEqual(new Set([`auto:${id}:msg_same`]));

    const list = await deliveries(id);
    expect(list.filter((d) => d.status === 'started')).toHaveLength(1);
    expect(list.filter((d) => d.status === 'duplicate')).toHaveLength(9);
    expect(list.every((d) => d.key === 'msg_same' && d.keySource === 'webhook-id')).toBe(true);
    expect(await runRows(id)).toHaveLength(1);

    // Exactly one execution in Temporal: visibility is eventually consistent, so wait for it to list one.
    const executions = async () => {
      const ids: string[] = [];
      for await (const w of client().workflow.list({ query: `AutomationId = "${id}"` }))
        ids.push(w.workflowId);
      return ids;
    };
    let seen: string[] = [];
    for (let i = 0; i < 60 && seen.length === 0; i++) {
      seen = await executions();
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1000));
    seen = await executions();
    expect(seen).toEqual([`auto:${id}:msg_same`]);
    expect(seen.every((w) => w.startsWith(automationRunIdPrefix(id)))).toBe(true);
  });

  it('a repeated delivery whose first one never got its run started starts it, and answers with the run', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'token' } });
    // The first delivery of key "lost-1" claimed it and then its process died before the run was started.
    const automation = await api.db('workflows').where({ id }).first<{ team_id: string }>('team_id');
    await api.db('automation_deliveries').insert({
      automation_id: id,
      team_id: automation.team_id,
      key: 'lost-1',
      key_source: 'idempotency-key',
      status: 'started',
      run_workflow_id: `auto:${id}:lost-1`,
    });
    const again = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .set('Idempotency-Key', 'lost-1')
      .send({ again: true });
    expect(again.status).toBe(202);
    const body = again.body as Started;
    expect(body).toMatchObject({ workflow_id: `auto:${id}:lost-1`, status: 'duplicate' });
    expect(body.run_id).toEqual(expect.any(String));
    const described = await api.deps.temporal!.client.workflow.getHandle(`auto:${id}:lost-1`).describe();
    expect(described.runId).toBe(body.run_id);
  });

  it('delivery keys: Idempotency-Key, then the trigger expression, then the hash of the body', async () => {
    const { id, secret } = await webhookAutomation({
      auth: { scheme: 'token' },
      idempotency_key: 'trigger.order.id',
    });
    const send = (payload: unknown, key?: string) => {
      const r = request(api.app).post(hook(id)).set('Authorization', `Bearer ${secret}`);
      return (key ? r.set('Idempotency-Key', key) : r).send(payload as object);
    };
    const a = await send({ order: { id: 'A-1' }, n: 1 });
    const b = await send({ order: { id: 'A-1' }, n: 2 });
    expect((a.body as Started).status).toBe('started');
    expect(b.body).toEqual({ ...(a.body as Started), status: 'duplicate' });
    expect((a.body as Started).workflow_id).toBe(`auto:${id}:A-1`);
    const c = await send({ order: { id: 'A-1' } }, 'explicit');
    expect((c.body as Started).workflow_id).toBe(`auto:${id}:explicit`);
    // The expression names a path the payload lacks: refused, naming it.
    const d = await send({ nothing: true });
    expect(d.status).toBe(400);
    expect((d.body as { error: { message: string } }).error.message).toMatch(/order/);

    const plain = await webhookAutomation({ auth: { scheme: 'token' } });
    const once = await request(api.app)
      .post(hook(plain.id))
      .set('Authorization', `Bearer ${plain.secret}`)
      .send({ same: 'body' });
    const twice = await request(api.app)
      .post(hook(plain.id))
      .set('Authorization', `Bearer ${plain.secret}`)
      .send({ same: 'body' });
    expect((once.body as Started).status).toBe('started');
    expect((twice.body as Started).status).toBe('duplicate');
    const list = await deliveries(plain.id);
    expect(list.every((x) => x.keySource === 'body-hash' && /^[0-9a-f]{64}$/.test(x.key ?? ''))).toBe(true);
  });

  it('the filter: a delivery it rejects is recorded as filtered and starts nothing', async () => {
    const { id, secret } = await webhookAutomation({
      auth: { scheme: 'token' },
      filter: 'trigger.amount > 10',
    });
    const low = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .send({ amount: 5 });
    expect(low.status).toBe(202);
    expect(low.body).toEqual({ run_id: null, workflow_id: null, status: 'filtered' });
    const high = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .send({ amount: 50 });
    expect((high.body as Started).status).toBe('started');
    expect((await deliveries(id)).map((d) => d.status).sort()).toEqual(['filtered', 'started']);
    expect(await runRows(id)).toHaveLength(1);
  });

  it('a paused automation answers 409 (recorded); activated again it takes deliveries', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'token' } });
    await request(api.app).post(`${automationsUrl()}/${id}/pause`).set(bearer(owner.accessToken)).expect(200);
    const paused = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .send({ x: 1 });
    expect(paused.status).toBe(409);
    expectErrorShape(paused.body, 'automation_paused');
    await request(api.app)
      .post(`${automationsUrl()}/${id}/activate`)
      .set(bearer(owner.accessToken))
      .expect(200);
    const again = await request(api.app)
      .post(hook(id))
      .set('Authorization', `Bearer ${secret}`)
      .send({ x: 1 });
    expect(again.status).toBe(202);
    expect((await deliveries(id)).map((d) => d.status).sort()).toEqual(['refused', 'started']);
  });

  it('a draft automation answers 409; unknown ids and non-ids 404; another team cannot read it', async () => {
    const created = await request(api.app)
      .post(automationsUrl())
      .set(bearer(owner.accessToken))
      .send({
        name: 'Draft hook',
        definition: { version: 1, trigger: { type: 'webhook', auth: { scheme: 'token' } }, steps },
      });
    const id = (created.body as { automation: { id: string } }).automation.id;
    const draft = await request(api.app).post(hook(id)).send({ x: 1 });
    expect(draft.status).toBe(409);
    expectErrorShape(draft.body, 'automation_not_active');
    const unknown = await request(api.app).post(hook('00000000-0000-4000-8000-000000000000')).send({ x: 1 });
    expect(unknown.status).toBe(404);
    expect((await request(api.app).post(hook('not-an-id')).send({ x: 1 })).status).toBe(404);

    for (const path of ['', '/webhook', '/deliveries', '/versions']) {
      const res = await request(api.app)
        .get(`${automationsUrl(otherTeamId)}/${id}${path}`)
        .set(bearer(outsider.accessToken));
      expect(res.status).toBe(404);
    }
    const foreign = await request(api.app).get(`${automationsUrl()}/${id}`).set(bearer(outsider.accessToken));
    expect(foreign.status).toBe(404);
  });

  it('bodies: non-JSON 415, broken JSON 400, NUL text 400 (all recorded), over 1 MB 413', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'token' } });
    const auth = { Authorization: `Bearer ${secret}` };
    const text = await request(api.app).post(hook(id)).set(auth).set('Content-Type', 'text/plain').send('hi');
    expect(text.status).toBe(415);
    const broken = await request(api.app)
      .post(hook(id))
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expect(broken.status).toBe(400);
    const nul = await request(api.app)
      .post(hook(id))
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"a":"x\\u0000y","b":"\\ud800"}');
    expect(nul.status).toBe(400);
    const huge = await request(api.app)
      .post(hook(id))
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect((await deliveries(id)).map((d) => d.status)).toEqual(['refused', 'refused', 'refused']);
  });

  it('rotating the secret: the old one is refused, the new one accepted', async () => {
    const { id, secret } = await webhookAutomation({ auth: { scheme: 'token' } });
    const rotated = await request(api.app)
      .post(`${automationsUrl()}/${id}/webhook/rotate`)
      .set(bearer(owner.accessToken));
    expect(rotated.status).toBe(200);
    const fresh = (rotated.body as { webhook: { secret: string } }).webhook.secret;
    expect(fresh).not.toBe(secret);
    const old = await request(api.app).post(hook(id)).set('Authorization', `Bearer ${secret}`).send({ a: 1 });
    expect(old.status).toBe(401);
    const ok = await request(api.app).post(hook(id)).set('Authorization', `Bearer ${fresh}`).send({ a: 1 });
    expect(ok.status).toBe(202);
    // Sealed at rest: the stored value is not the secret.
    const row = await api.db('workflows').where({ id }).first<{ webhook_secret_sealed: string }>();
    expect(row.webhook_secret_sealed).toMatch(/^v1\./);
    expect(row.webhook_secret_sealed).not.toContain(fresh.slice(6, 20));
  });

  it('the curl examples of GET .../webhook work as shown, for both schemes', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const scheme of ['token', 'standard_webhooks']) {
        const { id } = await webhookAutomation({ auth: { scheme } });
        const info = await request(api.app)
          .get(`${automationsUrl()}/${id}/webhook`)
          .set(bearer(owner.accessToken));
        const { curl, url } = (info.body as { webhook: { curl: string; url: string } }).webhook;
        const script = `${curl.split(url).join(`${base}/api/v1/hooks/${id}`)} -s -o /dev/null -w '%{http_code}'`;
        const { stdout } = await promisify(execFile)('bash', ['-c', script]);
        expect(`${scheme}: ${stdout.trim()}`).toBe(`${scheme}: 202`);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
  it('deliveries are rate-limited per automation (another automation keeps its budget)', async () => {
    const limited = await createTestApi({
      temporal: true,
      limits: { webhooks: { points: 3, windowSeconds: 60 } },
    });
    try {
      const a = await webhookAutomation({ auth: { scheme: 'token' } });
      const b = await webhookAutomation({ auth: { scheme: 'token' } });
      const send = (x: { id: string; secret: string }, n: number) =>
        request(limited.app).post(hook(x.id)).set('Authorization', `Bearer ${x.secret}`).send({ n });
      const statuses = [];
      for (let n = 0; n < 4; n++) statuses.push((await send(a, n)).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect((await send(b, 0)).status).toBe(202);
    } finally {
      await limited.close();
    }
  });
});
