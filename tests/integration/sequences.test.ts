import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createSequenceActivities } from '../../activities/sequences';
import { findContact } from '../../data/contacts';
import { bearer, registerUser, type RegisteredUser } from '../support/api';
import {
  addContact,
  header,
  mailbox,
  startEmailWorld,
  uniqueAddress,
  unsubscribeLink,
  waitFor,
  type EmailWorld,
} from '../support/email-world';

interface Step {
  subject: string;
  body: string;
  delaySeconds: number;
}
interface Sequence {
  id: string;
  campaignId: string;
  name: string;
  trigger: string;
  stepCount: number;
  steps: (Step & { id: string; position: number })[];
}
interface Run {
  workflowId: string;
  triggerSource: string;
  contactId: string;
  contactEmail: string;
  status: string;
  currentStep: number;
  totalSteps: number | null;
  nextSendAt: string | null;
  stopReason: string | null;
}
interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] };
}

/** Sequences end to end: API -> Temporal -> worker -> Postmark sandbox, with durable timers of a second or so. */
describe('email sequences', () => {
  let w: EmailWorld;
  let outsider: RegisteredUser;

  beforeAll(async () => {
    w = await startEmailWorld('sequences');
    outsider = await registerUser(w.app, 'seq-outsider');
  });
  afterAll(async () => {
    await w?.close();
  });

  const url = (path = '') => `/api/v1/teams/${w.teamId}/sequences${path}`;
  const as = (user: RegisteredUser = w.user) => bearer(user.accessToken);

  async function createSequence(steps: Step[], extra: object = {}): Promise<Sequence> {
    const res = await request(w.app)
      .post(url())
      .set(as())
      .send({ campaignId: w.campaignId, name: `Drip ${randomUUID().slice(0, 6)}`, steps, ...extra });
    expect(res.status).toBe(201);
    return (res.body as { sequence: Sequence }).sequence;
  }

  const enroll = (sequenceId: string, body: object) =>
    request(w.app)
      .post(url(`/${sequenceId}/enroll`))
      .set(as())
      .send(body);

  async function runs(sequenceId: string): Promise<Run[]> {
    const res = await request(w.app)
      .get(url(`/${sequenceId}/runs`))
      .set(as());
    expect(res.status).toBe(200);
    return (res.body as { runs: Run[] }).runs;
  }
  const runStatus = (sequenceId: string, contactId: string, status: string) =>
    waitFor(`run of ${contactId} ${status}`, async () => {
      const run = (await runs(sequenceId)).find((r) => r.contactId === contactId);
      return run?.status === status ? run : undefined;
    });
  /** Running, with the steps loaded (the snapshot is taken). */
  const runWaiting = (sequenceId: string, contactId: string) =>
    waitFor(`run of ${contactId} to take its snapshot`, async () => {
      const run = (await runs(sequenceId)).find((r) => r.contactId === contactId);
      return run?.status === 'running' && run.totalSteps !== null ? run : undefined;
    });

  it('delivers a two-step sequence in order with the rendered variables, List-Unsubscribe and footer', async () => {
    const sequence = await createSequence([
      {
        subject: 'Hi {{ first_name }}, meet {{ product }}',
        body: 'Hello {{ first_name }} {{ last_name | "friend" }},\n\n{{ campaign }}: {{ hoplink }}',
        delaySeconds: 1,
      },
      { subject: 'Day two for {{ email }}', body: 'Still thinking about {{ product }}?', delaySeconds: 1 },
    ]);
    expect(sequence.steps.map((s) => s.position)).toEqual([0, 1]);
    const contact = await addContact(w, { firstName: 'Dana' });

    const res = await enroll(sequence.id, { contactIds: [contact.id] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ started: 1, alreadyRunning: 0, skipped: 0 });

    const done = await runStatus(sequence.id, contact.id, 'completed');
    expect(done).toMatchObject({
      workflowId: `seq:${sequence.id}:${contact.id}`,
      contactEmail: contact.email,
      currentStep: 2,
      totalSteps: 2,
      nextSendAt: null,
    });

    const messages = await mailbox(w, contact.email);
    expect(messages.map((m) => m.Subject)).toEqual([
      `Hi Dana, meet ${w.productTitle}`,
      `Day two for ${contact.email}`,
    ]);
    const [first, second] = messages;
    expect(first!.TextBody).toContain(`Hello Dana friend,\n\nKeto spring push: ${w.hoplink}`);
    expect(second!.TextBody).toContain(`Still thinking about ${w.productTitle}?`);
    // The steps were a second apart at least (durable timer between them).
    expect(Date.parse(second!.ReceivedAt) - Date.parse(first!.ReceivedAt)).toBeGreaterThanOrEqual(900);
    for (const message of messages) {
      const link = unsubscribeLink(message);
      expect(link.startsWith(`${w.baseUrl}/u/`)).toBe(true);
      expect(header(message, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(message.TextBody).toContain(link);
      expect(message.HtmlBody).toContain(`href="${link}"`);
      expect(message.MessageStream).toBe('outbound');
    }
    // The emails are recorded once each, under the step keys.
    const rows = await w
      .db('email_messages')
      .where({ contact_id: contact.id })
      .orderBy('idempotency_key')
      .select('idempotency_key', 'kind', 'status');
    expect(rows).toEqual([
      { idempotency_key: `seq:${sequence.id}:${contact.id}:0`, kind: 'sequence', status: 'sent' },
      { idempotency_key: `seq:${sequence.id}:${contact.id}:1`, kind: 'sequence', status: 'sent' },
    ]);

    // A finished run is never started again.
    const again = await enroll(sequence.id, { contactIds: [contact.id] });
    expect(again.body).toEqual({ started: 0, alreadyRunning: 0, skipped: 1 });
  });

  it('enrolling twice (by id, then by tag) starts one run', async () => {
    const tag = `vip-${randomUUID().slice(0, 6)}`;
    const sequence = await createSequence([{ subject: 'Later', body: 'Much later', delaySeconds: 3600 }]);
    const contact = await addContact(w, { tags: [tag] });
    const unsubscribed = await addContact(w, { tags: [tag] });
    await w.db('contacts').where({ id: unsubscribed.id }).update({ status: 'unsubscribed' });

    const [a, b] = await Promise.all([
      enroll(sequence.id, { contactIds: [contact.id] }),
      enroll(sequence.id, { contactIds: [contact.id] }),
    ]);
    expect([a.body, b.body]).toEqual(
      expect.arrayContaining([
        { started: 1, alreadyRunning: 0, skipped: 0 },
        { started: 0, alreadyRunning: 1, skipped: 0 },
      ]),
    );
    const byTag = await enroll(sequence.id, { tag, contactIds: [randomUUID()] });
    expect(byTag.body).toEqual({ started: 0, alreadyRunning: 1, skipped: 2 });

    await runWaiting(sequence.id, contact.id);
    const list = await runs(sequence.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'running', currentStep: 0, totalSteps: 1 });
    expect(Date.parse(list[0]!.nextSendAt!)).toBeGreaterThan(Date.now() + 3500_000);
    const executions = [];
    for await (const e of w.temporal.client.workflow.list({
      query: `WorkflowId = "seq:${sequence.id}:${contact.id}"`,
    })) {
      executions.push(e);
    }
    expect(executions).toHaveLength(1);
    const described = await w.temporal.client.workflow.getHandle(list[0]!.workflowId).describe();
    expect(described.searchAttributes).toMatchObject({
      TeamId: [w.teamId],
      CampaignId: [w.campaignId],
      TriggerSource: ['manual'],
    });

    // Deleting the sequence stops its runs at once (mid-timer).
    const deleted = await request(w.app)
      .delete(url(`/${sequence.id}`))
      .set(as());
    expect(deleted.status).toBe(204);
    const result = (await w.temporal.client.workflow.getHandle(list[0]!.workflowId).result()) as {
      status: string;
      stopReason: string;
    };
    expect(result).toMatchObject({ status: 'stopped', stopReason: 'The sequence was deleted' });
    expect(
      (
        await request(w.app)
          .get(url(`/${sequence.id}`))
          .set(as())
      ).status,
    ).toBe(404);
  });

  it("a 406 refusal marks the contact inactive, ends the run and stops the contact's other runs", async () => {
    const contact = await addContact(w, { email: uniqueAddress('gone', 'inactive.sandbox.test') });
    const waiting = await createSequence([{ subject: 'Later', body: 'Later', delaySeconds: 3600 }]);
    expect((await enroll(waiting.id, { contactIds: [contact.id] })).body).toMatchObject({ started: 1 });
    await runWaiting(waiting.id, contact.id);

    const now = await createSequence([
      { subject: 'Now', body: 'Right away', delaySeconds: 0 },
      { subject: 'Never', body: 'Never sent', delaySeconds: 1 },
    ]);
    expect((await enroll(now.id, { contactIds: [contact.id] })).body).toMatchObject({ started: 1 });

    const refused = await runStatus(now.id, contact.id, 'stopped');
    expect(refused.stopReason).toMatch(/Postmark refused/);
    expect(refused.currentStep).toBe(0);
    const other = await runStatus(waiting.id, contact.id, 'stopped');
    expect(other.stopReason).toMatch(/Postmark refused/);
    await w.temporal.client.workflow.getHandle(other.workflowId).result();

    const row = await findContact(w.db, w.teamId, contact.id);
    expect(row).toMatchObject({ status: 'inactive' });
    expect(await mailbox(w, contact.email)).toEqual([]);
  });

  it('a run keeps the steps it started with (snapshot), and preview renders with a contact or samples', async () => {
    const sequence = await createSequence([
      { subject: 'One {{ first_name | "there" }}', body: 'Body one', delaySeconds: 2 },
    ]);
    const contact = await addContact(w, { firstName: 'Lee', lastName: 'Park' });
    expect((await enroll(sequence.id, { contactIds: [contact.id] })).body).toMatchObject({ started: 1 });
    await runWaiting(sequence.id, contact.id);
    const replaced = await request(w.app)
      .put(url(`/${sequence.id}/steps`))
      .set(as())
      .send({ steps: [{ subject: 'Edited', body: 'Edited body', delaySeconds: 0 }] });
    expect(replaced.status).toBe(200);
    expect((replaced.body as { sequence: Sequence }).sequence.steps).toMatchObject([{ subject: 'Edited' }]);
    await runStatus(sequence.id, contact.id, 'completed');
    expect((await mailbox(w, contact.email)).map((m) => m.Subject)).toEqual(['One Lee']);

    const template = { subject: 'For {{ first_name | "you" }}', body: 'Get {{ product }}: {{ hoplink }}' };
    const sample = await request(w.app)
      .post(url(`/${sequence.id}/preview`))
      .set(as())
      .send(template);
    expect(sample.status).toBe(200);
    expect(sample.body).toMatchObject({
      subject: 'For Alex',
      text: `Get ${w.productTitle}: ${w.hoplink}`,
    });
    expect((sample.body as { html: string }).html).toContain(
      `<a href="${w.hoplink.replace(/&/g, '&amp;')}">`,
    );
    const personal = await request(w.app)
      .post(url(`/${sequence.id}/preview`))
      .set(as())
      .send({ ...template, contactId: contact.id });
    expect(personal.body).toMatchObject({ subject: 'For Lee' });
    const unknown = await request(w.app)
      .post(url(`/${sequence.id}/preview`))
      .set(as())
      .send({ ...template, contactId: randomUUID() });
    expect(unknown.status).toBe(404);
  });

  it('template and step problems answer 400 with the field at fault', async () => {
    const sequence = await createSequence([]);
    const ok = { subject: 'Hi', body: 'Hello', delaySeconds: 0 };
    const put = (steps: unknown) =>
      request(w.app)
        .put(url(`/${sequence.id}/steps`))
        .set(as())
        .send({ steps });
    const paths = (res: { body: unknown }) => (res.body as ErrorBody).error.details.map((d) => d.path);

    const unknownVariable = await put([ok, { ...ok, body: 'Hi {{ frist_name }}' }]);
    expect(unknownVariable.status).toBe(400);
    expect(paths(unknownVariable)).toEqual(['steps.1.body']);
    expect((unknownVariable.body as ErrorBody).error.details[0]!.message).toMatch(/frist_name/);

    const unclosed = await put([{ ...ok, subject: 'Hi {{ first_name' }]);
    expect(paths(unclosed)).toEqual(['steps.0.subject']);

    const tooLong = await put([
      { ...ok, delaySeconds: 366 * 86_400 },
      { ...ok, delaySeconds: -1 },
    ]);
    expect(paths(tooLong)).toEqual(['steps.0.delaySeconds', 'steps.1.delaySeconds']);

    const tooMany = await put(Array.from({ length: 51 }, () => ok));
    expect(paths(tooMany)).toEqual(['steps']);
    const tooLongBody = await put([{ ...ok, body: 'x'.repeat(20_001) }]);
    expect(paths(tooLongBody)).toEqual(['steps.0.body']);
    // A run's snapshot is one Temporal payload: the steps together have a size limit.
    const tooBig = await put(Array.from({ length: 50 }, () => ({ ...ok, body: 'x'.repeat(9_000) })));
    expect(paths(tooBig)).toEqual(['steps']);

    const preview = await request(w.app)
      .post(url(`/${sequence.id}/preview`))
      .set(as())
      .send({ subject: 'ok', body: '{{ nope }}' });
    expect(preview.status).toBe(400);
    expect(paths(preview)).toEqual(['body']);

    const created = await request(w.app)
      .post(url())
      .set(as())
      .send({ campaignId: w.campaignId, name: 'Bad', steps: [ok, ok, { ...ok, subject: '{{ x }}' }] });
    expect(created.status).toBe(400);
    expect(paths(created)).toEqual(['steps.2.subject']);

    // An empty sequence cannot enroll anyone.
    const contact = await addContact(w);
    const empty = await enroll(sequence.id, { contactIds: [contact.id] });
    expect(empty.status).toBe(409);
    expect((empty.body as ErrorBody).error.code).toBe('sequence_empty');
  });

  it("the bonus workflow's activities enroll a buyer in the campaign's sale sequences once, and stop them", async () => {
    const activities = createSequenceActivities({
      db: w.db,
      config: w.config,
      temporal: w.temporal.client,
    });
    const sale = await createSequence([{ subject: 'Thanks', body: 'Thanks', delaySeconds: 3600 }], {
      trigger: 'sale',
    });
    await createSequence([{ subject: 'Manual', body: 'Manual', delaySeconds: 0 }]);
    const buyer = await addContact(w, { firstName: 'Buyer' });
    const sale1 = { teamId: w.teamId, contactId: buyer.id, campaignId: w.campaignId };

    const first = await activities.enrollContactInSaleSequences(sale1);
    // Other tests' sale sequences of this campaign would show up here too; this one must.
    expect(first.started).toContain(`seq:${sale.id}:${buyer.id}`);
    expect(first.started.every((id) => id.endsWith(`:${buyer.id}`))).toBe(true);
    expect(await activities.enrollContactInSaleSequences(sale1)).toEqual({ started: [] });
    const run = await runWaiting(sale.id, buyer.id);
    expect(run.triggerSource).toBe('sale');
    const described = await w.temporal.client.workflow.getHandle(run.workflowId).describe();
    expect(described.searchAttributes).toMatchObject({ TriggerSource: ['sale'] });

    const stopped = await activities.stopContactSequences({
      teamId: w.teamId,
      contactId: buyer.id,
      reason: 'Refunded',
    });
    expect(stopped.stopped).toBe(first.started.length);
    expect(await w.temporal.client.workflow.getHandle(run.workflowId).result()).toMatchObject({
      status: 'stopped',
      stopReason: 'Refunded',
    });
    expect((await runs(sale.id))[0]).toMatchObject({ status: 'stopped', stopReason: 'Refunded' });
    expect(await mailbox(w, buyer.email)).toEqual([]);
  });

  it("another team's member gets 404, also with this team's campaign in their own team", async () => {
    const sequence = await createSequence([{ subject: 'Hi', body: 'Hello', delaySeconds: 0 }]);
    const paths = [
      ['get', url(`/${sequence.id}`)],
      ['get', url(`/${sequence.id}/runs`)],
      ['post', url(`/${sequence.id}/enroll`)],
      ['put', url(`/${sequence.id}/steps`)],
      ['delete', url(`/${sequence.id}`)],
    ] as const;
    for (const [method, path] of paths) {
      const res = await request(w.app)[method](path).set(as(outsider)).send({ steps: [] });
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
    }
    const own = `/api/v1/teams/${outsider.personalTeamId}/sequences`;
    const smuggled = await request(w.app).get(`${own}/${sequence.id}`).set(as(outsider));
    expect(smuggled.status).toBe(404);
    const foreignCampaign = await request(w.app)
      .post(own)
      .set(as(outsider))
      .send({ campaignId: w.campaignId, name: 'Not mine' });
    expect(foreignCampaign.status).toBe(404);
    expect((foreignCampaign.body as ErrorBody).error.code).toBe('campaign_not_found');
  });
});
