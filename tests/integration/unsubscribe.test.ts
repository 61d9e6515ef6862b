import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { findContact } from '../../data/contacts';
import { signLinkToken } from '../../lib/links';
import { bearer } from '../support/api';
import {
  addContact,
  mailbox,
  startEmailWorld,
  unsubscribeLink,
  waitFor,
  type EmailWorld,
} from '../support/email-world';

interface Run {
  workflowId: string;
  contactId: string;
  status: string;
  currentStep: number;
  stopReason: string | null;
}

/** The one-click unsubscribe link (GET page, RFC 8058 POST) against running sequences. */
describe('unsubscribe links', () => {
  let w: EmailWorld;

  beforeAll(async () => {
    w = await startEmailWorld('unsubscribe');
  });
  afterAll(async () => {
    await w?.close();
  });

  async function sequenceWith(steps: { subject: string; body: string; delaySeconds: number }[]) {
    const res = await request(w.app)
      .post(`/api/v1/teams/${w.teamId}/sequences`)
      .set(bearer(w.user.accessToken))
      .send({ campaignId: w.campaignId, name: `Unsub ${randomUUID().slice(0, 6)}`, steps });
    expect(res.status).toBe(201);
    return (res.body as { sequence: { id: string } }).sequence.id;
  }
  async function enroll(sequenceId: string, contactId: string) {
    const res = await request(w.app)
      .post(`/api/v1/teams/${w.teamId}/sequences/${sequenceId}/enroll`)
      .set(bearer(w.user.accessToken))
      .send({ contactIds: [contactId] });
    expect(res.body).toMatchObject({ started: 1 });
  }
  async function run(sequenceId: string): Promise<Run> {
    const res = await request(w.app)
      .get(`/api/v1/teams/${w.teamId}/sequences/${sequenceId}/runs`)
      .set(bearer(w.user.accessToken));
    return (res.body as { runs: Run[] }).runs[0]!;
  }

  it("GET on the email's link while the run waits for step 2 stops every run of the contact at once", async () => {
    const contact = await addContact(w, { firstName: 'Robin' });
    const drip = await sequenceWith([
      { subject: 'Welcome {{ first_name }}', body: 'First', delaySeconds: 0 },
      { subject: 'Second', body: 'Second', delaySeconds: 3600 },
    ]);
    const other = await sequenceWith([{ subject: 'Other', body: 'Other', delaySeconds: 3600 }]);
    await enroll(drip, contact.id);
    await enroll(other, contact.id);
    const [first] = await waitFor('the first email', async () => {
      const messages = await mailbox(w, contact.email);
      return messages.length > 0 ? messages : undefined;
    });
    await waitFor('the run to wait for step 2', async () => (await run(drip)).currentStep === 1);

    const link = unsubscribeLink(first!);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('You are unsubscribed');

    // Marked at once; the workflows end mid-timer on the signal.
    for (const sequenceId of [drip, other]) {
      const stopped = await run(sequenceId);
      expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'The contact unsubscribed' });
      const result: unknown = await w.temporal.client.workflow.getHandle(stopped.workflowId).result();
      expect(result).toMatchObject({ status: 'stopped' });
    }
    expect(await findContact(w.db, w.teamId, contact.id)).toMatchObject({
      status: 'unsubscribed',
      statusReason: 'unsubscribe link',
    });
    expect((await mailbox(w, contact.email)).map((m) => m.Subject)).toEqual(['Welcome Robin']);

    // A second click says the same.
    const again = await fetch(link);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('You are unsubscribed');
  });

  it('POST is RFC 8058 one-click: 200 without a page, idempotent', async () => {
    const contact = await addContact(w);
    const path = new URL(
      `${w.baseUrl}/u/${signLinkToken(w.config.links.secret, 'unsubscribe', { id: contact.id })}`,
    ).pathname;
    for (let i = 0; i < 2; i++) {
      const res = await request(w.app).post(path).type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
    expect(await findContact(w.db, w.teamId, contact.id)).toMatchObject({ status: 'unsubscribed' });
  });

  it('a forged, other-purpose, expired or malformed token answers 404 and changes nothing', async () => {
    const contact = await addContact(w);
    const secret = w.config.links.secret;
    const good = signLinkToken(secret, 'unsubscribe', { id: contact.id });
    const tokens = [
      signLinkToken(Buffer.alloc(32, 7), 'unsubscribe', { id: contact.id }),
      signLinkToken(secret, 'bonus', { id: contact.id }),
      signLinkToken(secret, 'unsubscribe', { id: contact.id, exp: Math.floor(Date.now() / 1000) - 10 }),
      `${good.split('.')[0]}.AAAA`,
      'not-a-token',
      signLinkToken(secret, 'unsubscribe', { id: 'not-a-uuid' }),
      signLinkToken(secret, 'unsubscribe', { id: randomUUID() }),
    ];
    for (const token of tokens) {
      const get = await request(w.app).get(`/u/${token}`);
      expect(`${token}: ${get.status}`).toBe(`${token}: 404`);
      expect(get.text).toContain('not valid');
      const post = await request(w.app).post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click');
      expect(`${token}: ${post.status}`).toBe(`${token}: 404`);
    }
    expect(await findContact(w.db, w.teamId, contact.id)).toMatchObject({ status: 'active' });
  });
});
