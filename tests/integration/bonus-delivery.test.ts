import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Application } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { loadConfig, type Config } from '../../lib/config';
import { hashLinkToken, signLinkToken } from '../../lib/links';
import { encryptIns } from '../../lib/clickbank/ins';
import {
  buildInsNotification,
  sendInsNotification,
  type SendInsOptions,
} from '../../sandbox/clickbank/ins-sender';
import type { RecordedMessage } from '../../sandbox/postmark/mailbox';
import { startPostmarkSandbox, type SandboxServer } from '../../sandbox/postmark/server';
import { getWorkflowBundle } from '../../temporal/bundle';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import type { BonusDeliveryResult } from '../../workflows/contracts/bonus-delivery';
import type { BonusRevocationWorkflowResult } from '../../workflows/contracts/bonus-revocation';
import { readHistory } from '../support/histories';
import { bearer, createTestApi, registerUser, type RegisteredUser, type TestApi } from '../support/api';
import { given } from '../support/fixtures';
import { startTestWorkers, type TestWorkers } from '../support/worker';

interface Delivery {
  id: string;
  bonusId: string;
  bonusName: string;
  receipt: string;
  buyerEmail: string;
  status: 'active' | 'revoked' | 'expired';
  downloadCount: number;
  revokedReason: string | null;
}

/**
 * Bonus delivery end to end: the sandbox INS sender posts encrypted ClickBank notifications to the real app on a
 * free port, real workers run clickbankNotificationWorkflow and the bonus runs on the Temporal dev server, the
 * buyer's email goes through the Postmark sandbox, and the links in it are followed against the same app.
 */
describe('bonus delivery from ClickBank notifications', () => {
  jest.setTimeout(180_000);
  let api: TestApi;
  let app: Application;
  let config: Config;
  let workers: TestWorkers;
  let postmark: SandboxServer;
  let server: Server;
  let baseUrl: string;
  let filesDir: string;

  beforeAll(async () => {
    postmark = await startPostmarkSandbox({ port: 0 });
    api = await createTestApi({ temporal: true });
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopflow-bonus-delivery-'));
    const base = loadConfig();
    config = {
      ...base,
      integrations: {
        ...base.integrations,
        postmark: { ...base.integrations.postmark, mode: 'sandbox', requestHost: new URL(postmark.url).host },
      },
      bonuses: { ...base.bonuses, filesDir },
    };
    app = createApp({ ...api.deps, config });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Links in emails point at this app (the workers read the config when they write the email).
    config.links = { ...config.links, publicUrl: baseUrl };
    workers = await startTestWorkers({ db: api.db, config });
  });
  afterAll(async () => {
    await workers?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await api?.close();
    await postmark?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  interface Team {
    owner: RegisteredUser;
    teamId: string;
    insUrl: string;
    secret: string;
  }

  async function teamWithClickbank(label: string): Promise<Team> {
    const owner = await registerUser(app, label);
    const secret = `SECRET${randomUUID().slice(0, 8).toUpperCase()}`;
    const res = await request(app)
      .put(`/api/v1/teams/${owner.personalTeamId}/integrations/clickbank`)
      .set(bearer(owner.accessToken))
      .send({ affiliateNickname: 'bonusaff1', insSecretKey: secret })
      .expect(200);
    const insPath = new URL((res.body as { integration: { insUrl: string } }).integration.insUrl).pathname;
    return { owner, teamId: owner.personalTeamId, insUrl: `${baseUrl}${insPath}`, secret };
  }

  async function addLinkBonus(team: Team, campaignId: string, name: string, url: string): Promise<string> {
    const res = await request(app)
      .post(`/api/v1/teams/${team.teamId}/bonuses`)
      .set(bearer(team.owner.accessToken))
      .send({ name, url, campaignIds: [campaignId] })
      .expect(201);
    return (res.body as { bonus: { id: string } }).bonus.id;
  }

  const send = (team: Team, opts: Omit<SendInsOptions, 'url' | 'secret'>) =>
    sendInsNotification({ url: team.insUrl, secret: team.secret, ...opts });

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 90_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until the workflow exists and completes; returns its result. */
  const resultOf = <T>(workflowId: string) =>
    waitFor(`${workflowId} to complete`, async () => {
      try {
        return (await api.deps.temporal!.client.workflow.getHandle(workflowId).result()) as T;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    });

  async function mailbox(to: string): Promise<RecordedMessage[]> {
    const res = await fetch(`${postmark.url}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: RecordedMessage[] }).messages;
  }

  const linksIn = (text: string | undefined): string[] =>
    [...(text ?? '').matchAll(new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/b/[A-Za-z0-9_.-]+`, 'g'))].map(
      (m) => m[0],
    );

  const deliveriesOf = async (team: Team, query = ''): Promise<Delivery[]> =>
    (
      (
        await request(app)
          .get(`/api/v1/teams/${team.teamId}/bonus-deliveries${query}`)
          .set(bearer(team.owner.accessToken))
          .expect(200)
      ).body as { deliveries: Delivery[] }
    ).deliveries;

  const buyer = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

  it('delivers a link and a file bonus in one email; the links redirect, serve the file and count; a refund revokes them and tells the owner', async () => {
    const team = await teamWithClickbank('bonus-sale');
    const { id: campaignId } = await given.campaignRow(api.db, {
      teamId: team.teamId,
      tid: 'bonus_sale_tid',
    });
    const linkBonusId = await addLinkBonus(
      team,
      campaignId,
      'Recipe book',
      'https://example.com/recipes.pdf',
    );
    const fileContent = Buffer.from('Bonus video script\n'.repeat(50));
    const uploaded = await request(app)
      .post(`/api/v1/teams/${team.teamId}/bonuses`)
      .set(bearer(team.owner.accessToken))
      .field('name', 'Workout plan')
      .field('campaignIds', campaignId)
      .attach('file', fileContent, { filename: 'Workout plan.txt', contentType: 'text/plain' })
      .expect(201);
    const fileBonusId = (uploaded.body as { bonus: { id: string } }).bonus.id;

    const email = buyer('buyer');
    const sale = await send(team, { type: 'SALE', tid: 'bonus_sale_tid', email, times: 2 });
    const receipt = String(sale.notification.receipt);
    const result = await resultOf<BonusDeliveryResult>(`bonus:${receipt}:1`);
    expect(result).toMatchObject({ outcome: 'ready', campaignId, deliveries: 2, email: 'sent' });

    const handle = api.deps.temporal!.client.workflow.getHandle(`bonus:${receipt}:1`);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(team.teamId);
    expect(description.typedSearchAttributes.get(SearchAttr.CampaignId)).toBe(campaignId);
    expect(description.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('clickbank-ins');
    await expect(description.staticSummary()).resolves.toBe(
      `Bonus delivery for ClickBank SALE ${receipt}, item 1`,
    );

    const deliveries = await deliveriesOf(team, `?receipt=${receipt}`);
    expect(deliveries.map((d) => d.bonusId).sort()).toEqual([linkBonusId, fileBonusId].sort());
    expect(deliveries.every((d) => d.status === 'active' && d.buyerEmail === email)).toBe(true);

    const messages = await mailbox(email);
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message.TextBody).toContain('Recipe book');
    expect(message.TextBody).toContain('Workout plan');
    const links = linksIn(message.TextBody);
    expect(links).toHaveLength(2);
    // The campaign's tracking link to pass on, counted under the source `bonus`.
    const { slug } = await api
      .db('tracking_links')
      .where({ campaign_id: campaignId, is_primary: true })
      .first<{ slug: string }>('slug');
    expect(message.TextBody).toContain(`Share this link: ${baseUrl}/r/${slug}?src=bonus`);
    // No token is stored: only its hash.
    const hashes = await api.db('bonus_deliveries').where({ receipt }).pluck<string[]>('token_hash');
    expect(links.map((l) => hashLinkToken(l.split('/b/')[1]!)).sort()).toEqual([...hashes].sort());

    const contact = await api
      .db('contacts')
      .where({ team_id: team.teamId, email })
      .first<{ source: string; tags: string[] }>('source', 'tags');
    expect(contact).toMatchObject({ source: 'sale' });
    expect(contact.tags).toEqual(expect.arrayContaining(['buyer', 'bonus_sale_tid']));

    // Follow the links: the first lists the recipe book (redirect), the second the file.
    const answers = await Promise.all(links.map((l) => fetch(l, { redirect: 'manual' })));
    const redirect = answers.find((a) => a.status === 302);
    expect(redirect?.headers.get('location')).toBe('https://example.com/recipes.pdf');
    const file = answers.find((a) => a.status === 200);
    expect(file?.headers.get('content-disposition')).toMatch(/^attachment; filename="Workout plan.txt"/);
    expect(file?.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Buffer.from(await file!.arrayBuffer())).toEqual(fileContent);
    await fetch(links[0]!, { redirect: 'manual' });
    // A HEAD (link checkers) answers the same without counting.
    expect((await fetch(links[0]!, { method: 'HEAD', redirect: 'manual' })).status).toBe(302);
    const counted = await deliveriesOf(team, `?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(counted.map((d) => d.downloadCount).sort()).toEqual([1, 2]);
    const bonusList = (
      await request(app)
        .get(`/api/v1/teams/${team.teamId}/bonuses/${linkBonusId}/deliveries`)
        .set(bearer(team.owner.accessToken))
        .expect(200)
    ).body as { deliveries: Delivery[] };
    expect(bonusList.deliveries).toHaveLength(1);

    // A refund of the receipt: the links answer 410 and the owner hears about it.
    await send(team, { type: 'RFND', receipt, tid: 'bonus_sale_tid', email });
    const revoked = await resultOf<BonusRevocationWorkflowResult>(`bonus-revoke:${receipt}:RFND`);
    expect(revoked).toMatchObject({ reason: 'refund', revoked: 2, notified: 1 });
    const revocation = await api.deps
      .temporal!.client.workflow.getHandle(`bonus-revoke:${receipt}:RFND`)
      .describe();
    expect(revocation.typedSearchAttributes.get(SearchAttr.TeamId)).toBe(team.teamId);
    expect(revocation.typedSearchAttributes.get(SearchAttr.CampaignId)).toBe(campaignId);
    expect(revocation.typedSearchAttributes.get(SearchAttr.TriggerSource)).toBe('clickbank-ins');
    for (const link of links) {
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('withdrawn after a refund');
    }
    const after = await deliveriesOf(team, `?receipt=${receipt}`);
    expect(after.map((d) => [d.status, d.revokedReason])).toEqual([
      ['revoked', 'refund'],
      ['revoked', 'refund'],
    ]);
    const notices = await mailbox(team.owner.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.Subject).toContain(receipt);
    expect(notices[0]!.TextBody).toContain(email);
    // The buyer got nothing more.
    expect(await mailbox(email)).toHaveLength(1);
  });

  it("enrolls the buyer in the campaign's sale sequence, and a chargeback stops it", async () => {
    const team = await teamWithClickbank('bonus-seq');
    const { id: campaignId } = await given.campaignRow(api.db, { teamId: team.teamId, tid: 'bonus_seq_tid' });
    await addLinkBonus(team, campaignId, 'Sequence bonus', 'https://example.com/seq');
    await request(app)
      .post(`/api/v1/teams/${team.teamId}/sequences`)
      .set(bearer(team.owner.accessToken))
      .send({
        campaignId,
        name: 'Buyer follow-up',
        trigger: 'sale',
        steps: [
          { subject: 'Welcome aboard', body: 'Glad you joined.', delaySeconds: 0 },
          { subject: 'A week in', body: 'How is it going?', delaySeconds: 7 * 86_400 },
        ],
      })
      .expect(201);

    const email = buyer('seq-buyer');
    const sale = await send(team, { type: 'SALE', tid: 'bonus_seq_tid', email });
    const receipt = String(sale.notification.receipt);
    const result = await resultOf<BonusDeliveryResult>(`bonus:${receipt}:1`);
    expect(result).toMatchObject({ outcome: 'ready', email: 'sent' });
    expect(result.sequencesStarted).toHaveLength(1);
    const runStatus = () =>
      api
        .db('email_sequence_runs')
        .where({ contact_id: result.contactId })
        .first<{ status: string } | undefined>('status');
    expect((await runStatus())?.status).toBe('running');
    await waitFor('the first sequence email', async () => {
      const subjects = (await mailbox(email)).map((m) => m.Subject);
      return subjects.includes('Welcome aboard') ? subjects : undefined;
    });

    await send(team, { type: 'CGBK', receipt, tid: 'bonus_seq_tid', email });
    const revoked = await resultOf<BonusRevocationWorkflowResult>(`bonus-revoke:${receipt}:CGBK`);
    expect(revoked).toMatchObject({ reason: 'chargeback', revoked: 1, sequencesStopped: 1, notified: 1 });
    await waitFor('the sequence run to stop', async () =>
      (await runStatus())?.status === 'stopped' ? true : undefined,
    );
    const [delivery] = await deliveriesOf(team, `?receipt=${receipt}`);
    expect(delivery).toMatchObject({ status: 'revoked', revokedReason: 'chargeback' });
  });

  it('delivers once when the same SALE arrives ten times at once', async () => {
    const team = await teamWithClickbank('bonus-burst');
    const { id: campaignId } = await given.campaignRow(api.db, {
      teamId: team.teamId,
      tid: 'bonus_burst_tid',
    });
    await addLinkBonus(team, campaignId, 'Burst bonus', 'https://example.com/burst');
    const email = buyer('burst');
    const notification = buildInsNotification({ type: 'SALE', tid: 'bonus_burst_tid', email });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(team.insUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(encryptIns(notification, team.secret)),
        });
        return res.status;
      }),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    const receipt = String(notification.receipt);
    await expect(resultOf<BonusDeliveryResult>(`bonus:${receipt}:1`)).resolves.toMatchObject({
      outcome: 'ready',
      email: 'sent',
    });
    expect(await deliveriesOf(team, `?receipt=${receipt}`)).toHaveLength(1);
    expect(await mailbox(email)).toHaveLength(1);
  });

  it('does not deliver a sale whose refund arrived first, and sends the buyer nothing', async () => {
    const team = await teamWithClickbank('bonus-refund-first');
    const { id: campaignId } = await given.campaignRow(api.db, {
      teamId: team.teamId,
      tid: 'refund_first_tid',
    });
    await addLinkBonus(team, campaignId, 'Early bird', 'https://example.com/early');
    const email = buyer('refunded');
    const receipt = `RF${randomUUID().slice(0, 8).toUpperCase()}`;

    await send(team, { type: 'RFND', receipt, tid: 'refund_first_tid', email });
    const revoked = await resultOf<BonusRevocationWorkflowResult>(`bonus-revoke:${receipt}:RFND`);
    expect(revoked).toMatchObject({ reason: 'refund', revoked: 0, notified: 0 });

    await send(team, { type: 'SALE', receipt, tid: 'refund_first_tid', email });
    const result = await resultOf<BonusDeliveryResult>(`bonus:${receipt}:1`);
    expect(result).toMatchObject({ outcome: 'blocked', deliveries: 0 });
    expect(result.summary).toMatch(/refund/);
    expect(await deliveriesOf(team, `?receipt=${receipt}`)).toEqual([]);
    const order = await api
      .db('bonus_orders')
      .where({ team_id: team.teamId, receipt })
      .first<{ status: string }>('status');
    expect(order?.status).toBe('blocked');
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailbox(email)).toEqual([]);
    expect(await mailbox(team.owner.email)).toEqual([]);
  });

  it("finds the campaign by the team's vendor rule when the sale carries no tid, and delivers a TEST_SALE", async () => {
    const team = await teamWithClickbank('bonus-rule');
    const { id: campaignId } = await given.campaignRow(api.db, {
      teamId: team.teamId,
      tid: 'vendor_rule_tid',
    });
    await addLinkBonus(team, campaignId, 'Rule bonus', 'https://example.com/rule');
    await request(app)
      .post(`/api/v1/teams/${team.teamId}/campaigns/${campaignId}/bonus-rules`)
      .set(bearer(team.owner.accessToken))
      .send({ vendor: 'RuleVend9' })
      .expect(201);

    const email = buyer('rule-buyer');
    const sale = await send(team, { type: 'SALE', vendor: 'rulevend9', email });
    const result = await resultOf<BonusDeliveryResult>(`bonus:${String(sale.notification.receipt)}:1`);
    expect(result).toMatchObject({ outcome: 'ready', campaignId, deliveries: 1, email: 'sent' });
    expect(await mailbox(email)).toHaveLength(1);

    const testEmail = buyer('test-buyer');
    const test = await send(team, { type: 'TEST_SALE', tid: 'vendor_rule_tid', email: testEmail });
    const testResult = await resultOf<BonusDeliveryResult>(`bonus:${String(test.notification.receipt)}:1`);
    expect(testResult).toMatchObject({ outcome: 'ready', campaignId, deliveries: 1, email: 'sent' });
    const [message] = await mailbox(testEmail);
    expect(linksIn(message!.TextBody)).toHaveLength(1);

    // ClickBank masks the receipt of its test messages: each gets its own key from the stored event.
    const maskedEmail = buyer('masked-buyer');
    const masked = await send(team, {
      type: 'TEST_SALE',
      receipt: '********',
      tid: 'vendor_rule_tid',
      email: maskedEmail,
    });
    const { eventId } = JSON.parse(masked.deliveries[0]!.body) as { eventId: string };
    await expect(resultOf<BonusDeliveryResult>(`bonus:test-${eventId}:1`)).resolves.toMatchObject({
      outcome: 'ready',
      email: 'sent',
    });
    expect(await mailbox(maskedEmail)).toHaveLength(1);
  });

  it('sends a bonus test to the person who asks: the buyer email marked as a test, no delivery counted', async () => {
    const team = await teamWithClickbank('bonus-test');
    const { id: campaignId } = await given.campaignRow(api.db, { teamId: team.teamId, tid: 'test_tid' });
    const bonusId = await addLinkBonus(team, campaignId, 'Starter kit', 'https://example.com/starter-kit');
    const res = await request(app)
      .post(`/api/v1/teams/${team.teamId}/bonuses/${bonusId}/test-delivery`)
      .set(bearer(team.owner.accessToken))
      .expect(202);
    const body = res.body as { sentTo: string; workflowId: string };
    expect(body.sentTo).toBe(team.owner.email);
    expect(await resultOf(body.workflowId)).toEqual({ status: 'sent', to: team.owner.email });
    const [message, ...more] = await mailbox(team.owner.email);
    expect(more).toEqual([]);
    expect(message!.Subject).toBe('[Test] Your bonus: Starter kit');
    expect(message!.TextBody).toContain('This is a test');
    expect(message!.TextBody).toContain('https://example.com/starter-kit');
    expect(await deliveriesOf(team)).toEqual([]);
    const list = await request(app)
      .get(`/api/v1/teams/${team.teamId}/bonuses`)
      .set(bearer(team.owner.accessToken))
      .expect(200);
    expect((list.body as { bonuses: { deliveries: number }[] }).bonuses[0]?.deliveries).toBe(0);
    // Another team's bonus is not found (and nothing is sent).
    const other = await registerUser(app, 'bonus-test-other');
    await request(app)
      .post(`/api/v1/teams/${other.personalTeamId}/bonuses/${bonusId}/test-delivery`)
      .set(bearer(other.accessToken))
      .expect(404);
    expect(await mailbox(other.email)).toEqual([]);
  });

  it('sends nothing for a campaign without bonuses or a sale no campaign matches', async () => {
    const team = await teamWithClickbank('bonus-none');
    await given.campaignRow(api.db, { teamId: team.teamId, tid: 'no_bonus_tid' });
    const email = buyer('nobody');
    const sale = await send(team, { type: 'SALE', tid: 'no_bonus_tid', email });
    const result = await resultOf<BonusDeliveryResult>(`bonus:${String(sale.notification.receipt)}:1`);
    expect(result).toMatchObject({ outcome: 'no_bonuses', deliveries: 0 });
    const unknown = await send(team, { type: 'SALE', tid: 'unknown_tid', email, vendor: 'novendor1' });
    const unmatched = await resultOf<BonusDeliveryResult>(`bonus:${String(unknown.notification.receipt)}:1`);
    expect(unmatched).toMatchObject({ outcome: 'no_campaign', deliveries: 0 });
    expect(await deliveriesOf(team)).toEqual([]);
    expect(await mailbox(email)).toEqual([]);
  });

  it('answers 404 for a forged or unknown link and 410 for an expired one', async () => {
    const team = await teamWithClickbank('bonus-expiry');
    const { id: campaignId } = await given.campaignRow(api.db, { teamId: team.teamId, tid: 'expiry_tid' });
    await addLinkBonus(team, campaignId, 'Expiring', 'https://example.com/expiring');
    const email = buyer('expiry');
    const sale = await send(team, { type: 'SALE', tid: 'expiry_tid', email });
    await resultOf(`bonus:${String(sale.notification.receipt)}:1`);
    const [delivery] = await deliveriesOf(team);

    // Expire it: a token signed with a past expiry, stored as the delivery's hash.
    const exp = Math.floor(Date.now() / 1000) - 60;
    const expired = signLinkToken(config.links.secret, 'bonus', { id: delivery!.id, exp });
    await api
      .db('bonus_deliveries')
      .where({ id: delivery!.id })
      .update({ token_hash: hashLinkToken(expired), expires_at: new Date(exp * 1000) });
    const res = await fetch(`${baseUrl}/b/${expired}`, { redirect: 'manual' });
    expect(res.status).toBe(410);
    expect(await res.text()).toMatch(/expired.*contact the sender/is);

    const forged = signLinkToken(Buffer.from('not the secret'), 'bonus', { id: delivery!.id });
    const unknown = signLinkToken(config.links.secret, 'bonus', { id: randomUUID() });
    for (const token of [forged, unknown, 'garbage']) {
      expect((await fetch(`${baseUrl}/b/${token}`, { redirect: 'manual' })).status).toBe(404);
    }
    expect((await deliveriesOf(team))[0]!.downloadCount).toBe(0);
  });
});

/** The bonus hookup is behind patched(): a notification run recorded before it still replays. */
describe('clickbank notification runs from before the bonus hookup', () => {
  jest.setTimeout(120_000);

  it('replay on the current workflow code without nondeterminism', async () => {
    const history = readHistory('clickbankNotificationWorkflow.pre-bonus.json');
    const events = history.events ?? [];
    // A run recorded without the bonus step: no planBonusWork activity, no child workflow.
    expect(JSON.stringify(history)).not.toContain('planBonusWork');
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    await Worker.runReplayHistory(
      { workflowBundle: await getWorkflowBundle() },
      history,
      'replay:clickbank-notification-pre-bonus',
    );
  });
});
