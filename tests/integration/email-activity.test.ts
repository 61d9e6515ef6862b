import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { createEmailActivities, type TrackedEmail } from '../../activities/email';
import { EMAIL_ROW_METADATA_KEY } from '../../lib/integrations/adapters/postmark';
import { setContactStatus, upsertContact } from '../../data/contacts';
import { createDb } from '../../db/connection';
import { loadConfig, type Config } from '../../lib/config';
import { unsubscribeUrl, verifyLinkToken } from '../../lib/links';
import { renderEmail } from '../../lib/email/render';
import { SANDBOX_CREDENTIALS } from '../../lib/integrations/sandbox-credentials';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox, type SandboxServer } from '../../sandbox/postmark/server';

/** activities/email.ts against the real database and the Postmark sandbox (real `postmark` SDK). */
describe('sending tracked email (no double sends)', () => {
  let sandbox: SandboxServer;
  let config: Config;
  let db: Knex;
  let activities: ReturnType<typeof createEmailActivities>;
  let teamId: string;

  beforeAll(async () => {
    sandbox = await startPostmarkSandbox({ port: 0 });
    const base = loadConfig();
    config = {
      ...base,
      integrations: {
        ...base.integrations,
        postmark: { ...base.integrations.postmark, mode: 'sandbox', requestHost: new URL(sandbox.url).host },
      },
    };
    db = createDb(config);
    activities = createEmailActivities({ db, config });
    const [team] = await db('teams').insert({ name: 'Email test team' }).returning<{ id: string }[]>('id');
    teamId = team!.id;
  });
  afterAll(async () => {
    await db?.destroy();
    await sandbox?.close();
  });

  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${sandbox.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }
  async function batchRequests(): Promise<number> {
    const res = await fetch(`${sandbox.url}/sandbox/requests`);
    const { requests } = (await res.json()) as { requests: { path: string }[] };
    return requests.filter((r) => r.path === '/email/batch').length;
  }
  const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const email = (to: string, extra: Partial<TrackedEmail> = {}): TrackedEmail => ({
    teamId,
    idempotencyKey: `test:${randomUUID()}`,
    kind: 'notification',
    to,
    subject: 'Hello',
    textBody: 'Hello there.\n\nSee https://example.test/page?a=1&b=2 for more.',
    ...extra,
  });
  const rowOf = (key: string) =>
    db('email_messages')
      .where({ idempotency_key: key })
      .first<{ id: string; status: string; error: string }>();

  it('sends once per key: a repeat returns the first message instead of sending again', async () => {
    const to = address('once');
    const first = await activities.sendTrackedEmail(email(to, { idempotencyKey: `once:${to}` }));
    const again = await activities.sendTrackedEmail(email(to, { idempotencyKey: `once:${to}` }));
    expect(first).toMatchObject({ status: 'sent', duplicate: false });
    expect(again).toMatchObject({ status: 'sent', duplicate: true });
    expect(again.status === 'sent' && first.status === 'sent' && again.messageId).toBe(
      first.status === 'sent' && first.messageId,
    );
    const messages = await mailbox(to);
    expect(messages).toHaveLength(1);
    const row = await rowOf(`once:${to}`);
    expect(row?.status).toBe('sent');
    expect(messages[0]!.Metadata[EMAIL_ROW_METADATA_KEY]).toBe(row.id);
    expect(messages[0]!.HtmlBody).toContain('<a href="https://example.test/page?a=1&amp;b=2">');
  });

  it('after an attempt that died once Postmark had the message, the retry finds it and sends nothing', async () => {
    const to = address('crashed');
    const key = `crashed:${to}`;
    // What a worker killed mid-send leaves behind: the committed 'queued' row, and Postmark holding the message.
    const [row] = await db('email_messages')
      .insert({ team_id: teamId, idempotency_key: key, to_email: to, subject: 'Hello', kind: 'notification' })
      .returning<{ id: string }[]>('id');
    const accepted = await fetch(`${sandbox.url}/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-postmark-server-token': SANDBOX_CREDENTIALS.postmark.serverToken,
      },
      body: JSON.stringify({
        From: SANDBOX_CREDENTIALS.postmark.fromEmail,
        To: to,
        Subject: 'Hello',
        TextBody: 'first attempt',
        Metadata: { [EMAIL_ROW_METADATA_KEY]: row!.id },
      }),
    });
    expect(accepted.status).toBe(200);

    const retry = await activities.sendTrackedEmail(email(to, { idempotencyKey: key }));
    expect(retry).toMatchObject({ status: 'sent', duplicate: true });
    expect(await mailbox(to)).toHaveLength(1);
    expect((await rowOf(key))?.status).toBe('sent');
  });

  it('an attempt that died before Postmark had the message is sent by the retry', async () => {
    const to = address('early-crash');
    const key = `early:${to}`;
    await db('email_messages').insert({
      team_id: teamId,
      idempotency_key: key,
      to_email: to,
      subject: 'Hello',
      kind: 'notification',
    });
    expect(await activities.sendTrackedEmail(email(to, { idempotencyKey: key }))).toMatchObject({
      status: 'sent',
      duplicate: false,
    });
    expect(await mailbox(to)).toHaveLength(1);
  });

  it('mail to a contact carries a working one-click unsubscribe link and headers', async () => {
    const contact = await upsertContact(db, { teamId, email: address('Reader'), source: 'manual' });
    await activities.sendTrackedEmail(email(contact.email, { contactId: contact.id, kind: 'sequence' }));
    const [message] = await mailbox(contact.email);
    const header = (name: string) => message!.Headers.find((h) => h.Name === name)?.Value;
    const url = /^<(.+)>$/.exec(header('List-Unsubscribe') ?? '')?.[1];
    expect(url).toBeDefined();
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(message!.TextBody).toContain(url);
    expect(message!.HtmlBody).toContain(`href="${url}"`);
    const token = new URL(url!).pathname.replace(/^\/u\//, '');
    expect(verifyLinkToken(config.links.secret, 'unsubscribe', token)).toEqual({
      ok: true,
      claims: { id: contact.id },
    });
  });

  it('a template that already placed {{ unsubscribe_url }} gets no second unsubscribe link', async () => {
    const contact = await upsertContact(db, { teamId, email: address('Placed'), source: 'manual' });
    const url = unsubscribeUrl(config.links, contact.id);
    const rendered = renderEmail(
      { subject: 'News', body: 'Hello.\n\nNo more news? {{ unsubscribe_url }}' },
      { unsubscribe_url: url },
    );
    await activities.sendTrackedEmail(
      email(contact.email, { contactId: contact.id, kind: 'sequence', textBody: rendered.text }),
    );
    const [message] = await mailbox(contact.email);
    expect((message!.TextBody ?? '').split(url)).toHaveLength(2);
    expect((message!.HtmlBody ?? '').split(`href="${url}"`)).toHaveLength(2);
    expect(message!.TextBody).not.toContain('Unsubscribe with one click');
    // The one-click headers stay: mail clients show their own button.
    expect(message!.Headers.find((h) => h.Name === 'List-Unsubscribe')?.Value).toBe(`<${url}>`);
  });

  it('an unsubscribed contact gets nothing, and the key stays settled', async () => {
    const contact = await upsertContact(db, { teamId, email: address('gone'), source: 'manual' });
    await setContactStatus(db, { teamId, contactId: contact.id, status: 'unsubscribed', reason: 'test' });
    const message = email(contact.email, { contactId: contact.id });
    expect(await activities.sendTrackedEmail(message)).toMatchObject({
      status: 'skipped',
      reason: 'unsubscribed',
    });
    expect(await activities.sendTrackedEmail(message)).toMatchObject({ status: 'skipped' });
    expect(await mailbox(contact.email)).toHaveLength(0);
  });

  it('Postmark 406 (inactive recipient) is refused at once and the contact marked inactive', async () => {
    const contact = await upsertContact(db, {
      teamId,
      email: `bounced-${randomUUID().slice(0, 8)}@inactive.sandbox.test`,
      source: 'manual',
    });
    const result = await activities.sendTrackedEmail(email(contact.email, { contactId: contact.id }));
    expect(result.status).toBe('refused');
    const stored = await db('contacts')
      .where({ id: contact.id })
      .first<{ status: string; status_reason: string }>();
    expect(stored?.status).toBe('inactive');
    expect(stored?.status_reason).toMatch(/inactive/);
  });

  it('a rate-limited send throws a retryable failure and the retry sends exactly one copy', async () => {
    // The sandbox answers 429 the first time it sees this address (a unique domain keeps the counter fresh).
    const limited = `ratelimit+1@${randomUUID().slice(0, 8)}.example.test`;
    const message = email(limited);
    const err = await activities.sendTrackedEmail(message).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((await rowOf(message.idempotencyKey))?.status).toBe('queued');
    expect(await activities.sendTrackedEmail(message)).toMatchObject({ status: 'sent' });
    expect(await mailbox(limited)).toHaveLength(1);
  });

  it('a batch goes out in one request; refused and skipped entries are reported; a rerun sends nothing', async () => {
    const good = address('batch-good');
    const bounced = `b-${randomUUID().slice(0, 8)}@inactive.sandbox.test`;
    const left = await upsertContact(db, { teamId, email: address('batch-left'), source: 'manual' });
    await setContactStatus(db, { teamId, contactId: left.id, status: 'unsubscribed', reason: 'test' });
    const batch = [
      email(good, { stream: 'broadcast', kind: 'broadcast' }),
      email(bounced, { stream: 'broadcast', kind: 'broadcast' }),
      email(left.email, { stream: 'broadcast', kind: 'broadcast', contactId: left.id }),
    ];
    const before = await batchRequests();
    const results = await activities.sendTrackedBatch(batch);
    expect(results.map((r) => r.status)).toEqual(['sent', 'refused', 'skipped']);
    expect(await batchRequests()).toBe(before + 1);
    const rerun = await activities.sendTrackedBatch(batch);
    expect(rerun.map((r) => r.status)).toEqual(['sent', 'refused', 'skipped']);
    expect(rerun[0]).toMatchObject({ duplicate: true });
    expect(await batchRequests()).toBe(before + 1);
    expect(await mailbox(good)).toHaveLength(1);
  });
});
