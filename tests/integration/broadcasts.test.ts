import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { setContactStatus } from '../../data/contacts';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import type { BroadcastInput, BroadcastProgress } from '../../workflows/contracts/broadcast';
import { bearer, registerUser, type RegisteredUser } from '../support/api';
import {
  addContact,
  mailbox,
  sandboxRequests,
  startEmailWorld,
  unsubscribeLink,
  waitFor,
  type EmailWorld,
} from '../support/email-world';

interface Broadcast {
  id: string;
  status: string;
  sendAt: string;
  recipients: number;
  sent: number;
  skipped: number;
  refused: number;
  workflowId: string;
}
interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] };
}

/** Broadcasts end to end: a durable timer until sendAt, then the tag's active contacts in Postmark batches. */
describe('broadcasts', () => {
  let w: EmailWorld;
  let outsider: RegisteredUser;

  beforeAll(async () => {
    w = await startEmailWorld('broadcasts');
    outsider = await registerUser(w.app, 'broadcast-outsider');
  });
  afterAll(async () => {
    await w?.close();
  });

  const url = (path = '') => `/api/v1/teams/${w.teamId}/broadcasts${path}`;
  const as = (user: RegisteredUser = w.user) => bearer(user.accessToken);
  const create = (body: object) => request(w.app).post(url()).set(as()).send(body);
  async function get(id: string): Promise<Broadcast> {
    const res = await request(w.app)
      .get(url(`/${id}`))
      .set(as());
    expect(res.status).toBe(200);
    return (res.body as { broadcast: Broadcast }).broadcast;
  }
  const newTag = () => `news-${randomUUID().slice(0, 6)}`;

  it('sends to the active contacts of the tag at sendAt, in one batch request, and counts them', async () => {
    const tag = newTag();
    const [a, b, gone] = await Promise.all([
      addContact(w, { firstName: 'Ana', tags: [tag] }),
      addContact(w, { tags: [tag, 'other'] }),
      addContact(w, { firstName: 'Gone', tags: [tag] }),
    ]);
    const outside = await addContact(w, { tags: ['other'] });
    await setContactStatus(w.db, {
      teamId: w.teamId,
      contactId: gone.id,
      status: 'unsubscribed',
      reason: 'test',
    });

    const sendAt = new Date(Date.now() + 2500);
    const res = await create({
      name: 'Spring news',
      subject: 'News for {{ first_name | "you" }}',
      body: 'Hello {{ first_name | "reader" }}.\n\nUnsubscribe: {{ unsubscribe_url }}',
      tag,
      sendAt: sendAt.toISOString(),
    });
    expect(res.status).toBe(201);
    const created = (res.body as { broadcast: Broadcast }).broadcast;
    expect(created).toMatchObject({ status: 'scheduled', workflowId: `broadcast:${created.id}`, sent: 0 });

    const sent = await waitFor('the broadcast to be sent', async () => {
      const now = await get(created.id);
      return now.status === 'sent' ? now : undefined;
    });
    expect(sent).toMatchObject({ recipients: 2, sent: 2, skipped: 0, refused: 0 });

    const [toA] = await mailbox(w, a.email);
    const [toB] = await mailbox(w, b.email);
    expect(await mailbox(w, gone.email)).toEqual([]);
    expect(await mailbox(w, outside.email)).toEqual([]);
    expect(toA).toMatchObject({ Subject: 'News for Ana', MessageStream: 'broadcast' });
    expect(toB).toMatchObject({ Subject: 'News for you', MessageStream: 'broadcast' });
    expect(toA!.TextBody).toContain(`Unsubscribe: ${unsubscribeLink(toA!)}`);
    // Not before sendAt (the sandbox stamps receipt time).
    expect(Date.parse(toA!.ReceivedAt)).toBeGreaterThanOrEqual(sendAt.getTime() - 50);

    const batches = (await sandboxRequests(w)).filter(
      (r) => r.path === '/email/batch' && (r.to.includes(a.email) || r.to.includes(b.email)),
    );
    expect(batches).toHaveLength(1);
    expect([...batches[0]!.to].sort()).toEqual([a.email, b.email].sort());

    const described = await w.temporal.client.workflow.getHandle(created.workflowId).describe();
    expect(described.searchAttributes).toMatchObject({ TeamId: [w.teamId] });
  });

  it('cancels a scheduled broadcast (idempotent) and refuses to cancel one that was sent', async () => {
    const tag = newTag();
    const contact = await addContact(w, { tags: [tag] });
    const res = await create({
      name: 'Later',
      subject: 'Later',
      body: 'Later',
      tag,
      sendAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const { id, workflowId } = (res.body as { broadcast: Broadcast }).broadcast;
    for (let i = 0; i < 2; i++) {
      const cancelled = await request(w.app)
        .post(url(`/${id}/cancel`))
        .set(as());
      expect(cancelled.status).toBe(200);
      expect((cancelled.body as { broadcast: Broadcast }).broadcast.status).toBe('cancelled');
    }
    const result = (await w.temporal.client.workflow.getHandle(workflowId).result()) as BroadcastProgress;
    expect(result.status).toBe('cancelled');
    expect(await get(id)).toMatchObject({ status: 'cancelled', sent: 0 });
    expect(await mailbox(w, contact.email)).toEqual([]);

    const now = await create({ name: 'Now', subject: 'Now', body: 'Now', tag });
    const nowId = (now.body as { broadcast: Broadcast }).broadcast.id;
    await waitFor('sent', async () => (await get(nowId)).status === 'sent');
    const late = await request(w.app)
      .post(url(`/${nowId}/cancel`))
      .set(as());
    expect(late.status).toBe(409);
    expect((late.body as ErrorBody).error.code).toBe('broadcast_not_cancellable');
  });

  it('pages through a large audience by id and continues as new between pages', async () => {
    const tag = newTag();
    const contacts = await Promise.all(Array.from({ length: 5 }, () => addContact(w, { tags: [tag] })));
    const id = randomUUID();
    await w.db('broadcasts').insert({
      id,
      team_id: w.teamId,
      name: 'Paged',
      subject: 'Paged',
      body: 'Paged',
      tag,
      send_at: new Date(),
      workflow_id: `broadcast:${id}`,
    });
    const input: BroadcastInput = {
      teamId: w.teamId,
      broadcastId: id,
      sendAt: new Date().toISOString(),
      pageSize: 2,
      pagesPerRun: 1,
    };
    const handle = await w.temporal.client.workflow.start('broadcastWorkflow', {
      taskQueue: TaskQueue.main,
      workflowId: `broadcast:${id}`,
      args: [input],
    });
    const result = (await handle.result()) as BroadcastProgress;
    expect(result).toMatchObject({ status: 'sent', recipients: 5, sent: 5 });
    expect(await get(id)).toMatchObject({ status: 'sent', recipients: 5, sent: 5 });
    for (const c of contacts) expect(await mailbox(w, c.email)).toHaveLength(1);
    // Three pages of two, one run each: the first run and two continuations.
    const runs = [];
    for await (const e of w.temporal.client.workflow.list({ query: `WorkflowId = "broadcast:${id}"` })) {
      runs.push(e.status.name);
    }
    expect(runs.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
  });

  it('a broadcast Postmark refuses for good (bad server token) ends failed, with the reason', async () => {
    const other = await registerUser(w.app, 'broadcast-badtoken');
    const team = other.personalTeamId;
    await request(w.app)
      .put(`/api/v1/teams/${team}/integrations/postmark`)
      .set(as(other))
      .send({ serverToken: 'invalid-token', fromEmail: 'news@example.com' })
      .expect(200);
    const tag = newTag();
    await addContact({ ...w, teamId: team }, { tags: [tag] });
    const res = await request(w.app)
      .post(`/api/v1/teams/${team}/broadcasts`)
      .set(as(other))
      .send({ name: 'Doomed', subject: 'Hi', body: 'Hello', tag });
    expect(res.status).toBe(201);
    const { id, workflowId } = (res.body as { broadcast: Broadcast }).broadcast;
    await expect(w.temporal.client.workflow.getHandle(workflowId).result()).rejects.toThrow();
    const failed = await request(w.app).get(`/api/v1/teams/${team}/broadcasts/${id}`).set(as(other));
    expect(failed.body).toMatchObject({ broadcast: { status: 'failed', sent: 0 } });
    expect((failed.body as { broadcast: { failure: string } }).broadcast.failure).toMatch(/Postmark/);
  });

  it('validates sendAt and templates, and hides broadcasts from other teams', async () => {
    const tag = newTag();
    const past = await create({
      name: 'Past',
      subject: 'x',
      body: 'x',
      tag,
      sendAt: new Date(Date.now() - 120_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect((past.body as ErrorBody).error.details.map((d) => d.path)).toEqual(['sendAt']);
    const justNow = await create({
      name: 'Just now',
      subject: 'x',
      body: 'x',
      tag,
      sendAt: new Date(Date.now() - 20_000).toISOString(),
    });
    expect(justNow.status).toBe(201);
    const badTemplate = await create({ name: 'Bad', subject: '{{ first_name', body: '{{ nope }}', tag });
    expect(badTemplate.status).toBe(400);
    expect((badTemplate.body as ErrorBody).error.details.map((d) => d.path).sort()).toEqual([
      'body',
      'subject',
    ]);

    const id = (justNow.body as { broadcast: Broadcast }).broadcast.id;
    const list = await request(w.app).get(url()).set(as());
    expect((list.body as { broadcasts: Broadcast[] }).broadcasts.map((b) => b.id)).toContain(id);
    for (const path of [url(`/${id}`), `/api/v1/teams/${outsider.personalTeamId}/broadcasts/${id}`]) {
      expect((await request(w.app).get(path).set(as(outsider))).status).toBe(404);
    }
    expect(
      (
        await request(w.app)
          .post(url(`/${id}/cancel`))
          .set(as(outsider))
      ).status,
    ).toBe(404);
  });

  it("a broadcast for a campaign links the campaign's tracking link, counted under the source broadcast", async () => {
    const tag = newTag();
    const reader = await addContact(w, { firstName: 'Lee', tags: [tag] });
    const res = await create({
      name: 'Campaign news',
      subject: 'About {{ product }}',
      body: 'Have a look: {{ hoplink }}',
      tag,
      campaignId: w.campaignId,
    });
    expect(res.status).toBe(201);
    const created = (res.body as { broadcast: Broadcast & { campaignId: string } }).broadcast;
    expect(created.campaignId).toBe(w.campaignId);
    await waitFor('the broadcast to be sent', async () =>
      (await get(created.id)).status === 'sent' ? true : undefined,
    );
    const [mail] = await mailbox(w, reader.email);
    const link = w.hoplink.replace(/\?src=email$/, '?src=broadcast');
    expect(link).toMatch(/\/r\/[a-z0-9]{10}\?src=broadcast$/);
    expect(mail!.Subject).toBe(`About ${w.productTitle}`);
    expect(mail!.TextBody).toContain(`Have a look: ${link}`);

    // Another team's campaign (or none at all) is not found, with the field at fault.
    const other = await create({ name: 'x', subject: 'x', body: 'x', tag, campaignId: randomUUID() });
    expect(other.status).toBe(404);
    expect((other.body as ErrorBody).error.details.map((d) => d.path)).toEqual(['campaignId']);
  });
});
