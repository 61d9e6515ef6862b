import { randomUUID } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  campaignOfReceipt,
  deliveriesOfLine,
  findBonusOrder,
  findRevocation,
  insertDeliveries,
  lockReceipt,
  recordBonusOrder,
  type RevocationReason,
} from '../data/bonus-deliveries';
import { bonusesOfCampaign, campaignForVendor, findBonus } from '../data/bonuses';
import { findUserById } from '../data/users';
import { campaignForTid, findCampaign } from '../data/campaigns';
import { campaignLink } from '../lib/content/campaign-link';
import { upsertContact } from '../data/contacts';
import { inTransaction } from '../data/transaction';
import { findWebhookEvent } from '../data/webhook-events';
import {
  isMaskedReceipt,
  notificationTid,
  revocationReasonOf,
  parseInsNotification,
  type InsNotification,
} from '../lib/clickbank/ins';
import { bonusDeliveredPayload } from '../lib/automations/platform-events';
import type { Config } from '../lib/config';
import { firePlatformEvent } from '../temporal/automation-events';
import { hashLinkToken, signLinkToken } from '../lib/links';
import type { BonusDeliveryInput, BonusDeliveryOutcome } from '../workflows/contracts/bonus-delivery';
import type { BonusTestInput, BonusTestResult } from '../workflows/contracts/bonus-test';
import { createEmailActivities, type TrackedEmail, type TrackedEmailResult } from './email';

/** What a notification means for bonuses; the notification workflow starts the runs it names. */
export type BonusPlan =
  | {
      kind: 'deliver';
      transactionType: string;
      receipt: string;
      lines: { itemNo: string; campaignId: string | null }[];
    }
  | {
      kind: 'revoke';
      transactionType: string;
      receipt: string;
      reason: RevocationReason;
      /** The campaign the receipt's bonuses came from, when they were delivered (for CampaignId). */
      campaignId?: string | null;
    }
  | { kind: 'none'; transactionType: string; reason: string };

export interface BonusDeliveryPrepared {
  outcome: BonusDeliveryOutcome;
  /** Plain words for the run's result and Temporal Web. */
  summary: string;
  campaignId: string | null;
  contactId: string | null;
  deliveries: number;
}

export type BonusEmailResult = TrackedEmailResult | { status: 'revoked'; idempotencyKey: string };

const BonusFailure = { notFound: 'BonusNotificationNotFound' } as const;

const DELIVER_TYPES = new Set(['SALE', 'BILL', 'TEST_SALE']);

const bonusEmailKey = (receipt: string, itemNo: string) => `bonus:${receipt}:${itemNo}`;

/** The receipt a bonus run is keyed by: masked receipts (ClickBank test messages) get one per notification. */
const bonusReceiptKey = (receipt: string, webhookEventId: string): string =>
  isMaskedReceipt(receipt) ? `test-${webhookEventId}` : receipt;

const buyerOf = (n: InsNotification) => {
  const person = n.customer?.billing ?? n.customer?.shipping ?? null;
  const email = (person?.email ?? n.customer?.shipping?.email ?? '').trim();
  return { email, firstName: person?.firstName ?? null, lastName: person?.lastName ?? null };
};

/** The stored ClickBank notification a bonus run acts on (non-retryable when it is missing). */
async function notificationOf(db: Knex, teamId: string, webhookEventId: string): Promise<InsNotification> {
  const event = await findWebhookEvent(db, webhookEventId);
  if (!event || event.teamId !== teamId || event.source !== 'clickbank') {
    throw ApplicationFailure.nonRetryable(
      `ClickBank webhook event ${webhookEventId} does not exist for team ${teamId}`,
      BonusFailure.notFound,
    );
  }
  return parseInsNotification(event.payload);
}

export interface BonusActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'links' | 'bonuses'>;
  /** The worker's client: a delivered bonus raises `bonus.delivered` for automations. */
  temporal?: Client;
}

export function createBonusDeliveryActivities(deps: BonusActivityDeps) {
  const { db, config } = deps;
  const email = createEmailActivities(deps);

  /** The campaign a sale line belongs to: its tid's campaign, else the team's vendor (and item) rule. */
  async function campaignOf(
    dbx: Knex | Knex.Transaction,
    teamId: string,
    n: InsNotification,
    itemNo: string,
  ): Promise<string | undefined> {
    const tid = notificationTid(n);
    const byTid = tid ? await campaignForTid(dbx, teamId, tid) : undefined;
    if (byTid) return byTid;
    return n.vendor ? campaignForVendor(dbx, teamId, n.vendor, itemNo) : undefined;
  }

  /** The token is derived, never stored: the same delivery id and expiry always sign to the same link. */
  const tokenFor = (deliveryId: string, expiresAt: Date) =>
    signLinkToken(config.links.secret, 'bonus', {
      id: deliveryId,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });

  return {
    /** Reads a stored notification: which bonus runs it calls for (deliveries per line, or a revocation). */
    async planBonusWork(ref: { teamId: string; webhookEventId: string }): Promise<BonusPlan> {
      const n = await notificationOf(db, ref.teamId, ref.webhookEventId);
      const type = n.transactionType.toUpperCase();
      const receipt = bonusReceiptKey(n.receipt, ref.webhookEventId);
      if (DELIVER_TYPES.has(type)) {
        const lines = await Promise.all(
          n.lineItems.map(async (item) => ({
            itemNo: item.itemNo,
            campaignId: (await campaignOf(db, ref.teamId, n, item.itemNo)) ?? null,
          })),
        );
        return { kind: 'deliver', transactionType: n.transactionType, receipt, lines };
      }
      const reason = revocationReasonOf(type);
      if (reason) {
        return {
          kind: 'revoke',
          transactionType: n.transactionType,
          receipt,
          reason,
          campaignId: await campaignOfReceipt(db, ref.teamId, receipt),
        };
      }
      return {
        kind: 'none',
        transactionType: n.transactionType,
        reason: `${n.transactionType} does not deliver or revoke bonuses`,
      };
    },

    /**
     * Decides one sale line under the receipt's lock: blocked when a refund or chargeback came first, else one
     * delivery per bonus of the campaign (idempotent on receipt + item + bonus) and the buyer as a contact.
     */
    async prepareBonusDelivery(input: BonusDeliveryInput): Promise<BonusDeliveryPrepared> {
      const n = await notificationOf(db, input.teamId, input.webhookEventId);
      const buyer = buyerOf(n);
      const campaignId = await campaignOf(db, input.teamId, n, input.itemNo);
      if (!campaignId) {
        return {
          outcome: 'no_campaign',
          summary: `No campaign matches tid ${notificationTid(n) ?? '(none)'} or vendor ${n.vendor ?? '(none)'}: nothing to deliver`,
          campaignId: null,
          contactId: null,
          deliveries: 0,
        };
      }
      const bonuses = await bonusesOfCampaign(db, input.teamId, campaignId);
      if (bonuses.length === 0) {
        return {
          outcome: 'no_bonuses',
          summary: 'The campaign offers no bonuses: nothing to deliver',
          campaignId,
          contactId: null,
          deliveries: 0,
        };
      }
      if (!buyer.email) {
        return {
          outcome: 'no_buyer_email',
          summary: 'The notification carries no buyer email address: nothing to deliver',
          campaignId,
          contactId: null,
          deliveries: 0,
        };
      }
      const campaign = await findCampaign(db, input.teamId, campaignId);

      return inTransaction(db, async (trx) => {
        await lockReceipt(trx, input.teamId, input.receipt);
        const earlier = await findBonusOrder(trx, input.teamId, input.receipt, input.itemNo);
        if (earlier?.status === 'blocked') {
          return {
            outcome: 'blocked',
            summary: earlier.reason ?? 'Not delivered',
            campaignId,
            contactId: null,
            deliveries: 0,
          };
        }
        if (!earlier) {
          const revocation = await findRevocation(trx, input.teamId, input.receipt);
          if (revocation) {
            const reason = `Not delivered: a ${revocation.reason} of this receipt arrived before the sale`;
            await recordBonusOrder(trx, {
              teamId: input.teamId,
              receipt: input.receipt,
              itemNo: input.itemNo,
              status: 'blocked',
              reason,
              campaignId,
              buyerEmail: buyer.email,
              contactId: null,
              transactionType: n.transactionType,
            });
            return { outcome: 'blocked', summary: reason, campaignId, contactId: null, deliveries: 0 };
          }
        }
        const contact = await upsertContact(trx, {
          teamId: input.teamId,
          email: buyer.email,
          firstName: buyer.firstName,
          lastName: buyer.lastName,
          tags: ['buyer', ...(campaign ? [campaign.trackingId] : [])],
          source: 'sale',
        });
        // Whole seconds: the expiry is part of the signed token, which must come out the same on every retry.
        const exp = Math.floor(Date.now() / 1000) + config.bonuses.linkTtlDays * 86_400;
        const expiresAt = new Date(exp * 1000);
        await insertDeliveries(
          trx,
          bonuses.map((bonus) => {
            const id = randomUUID();
            return {
              id,
              teamId: input.teamId,
              bonusId: bonus.id,
              campaignId,
              contactId: contact.id,
              receipt: input.receipt,
              itemNo: input.itemNo,
              buyerEmail: buyer.email,
              tokenHash: hashLinkToken(tokenFor(id, expiresAt)),
              expiresAt,
            };
          }),
        );
        await recordBonusOrder(trx, {
          teamId: input.teamId,
          receipt: input.receipt,
          itemNo: input.itemNo,
          status: 'delivered',
          reason: null,
          campaignId,
          buyerEmail: buyer.email,
          contactId: contact.id,
          transactionType: n.transactionType,
        });
        const deliveries = await deliveriesOfLine(trx, input.teamId, input.receipt, input.itemNo);
        return {
          outcome: 'ready',
          summary: `${deliveries.length} bonus${deliveries.length === 1 ? '' : 'es'} ready for the buyer`,
          campaignId,
          contactId: contact.id,
          deliveries: deliveries.length,
        };
      });
    },

    /**
     * Emails the buyer every bonus of the line with its download link (the links are derived again, so a retry
     * sends the same ones; they never pass through workflow history). Nothing is sent once revoked.
     */
    async sendBonusEmail(ref: {
      teamId: string;
      receipt: string;
      itemNo: string;
    }): Promise<BonusEmailResult> {
      const idempotencyKey = bonusEmailKey(ref.receipt, ref.itemNo);
      const order = await findBonusOrder(db, ref.teamId, ref.receipt, ref.itemNo);
      const deliveries = await deliveriesOfLine(db, ref.teamId, ref.receipt, ref.itemNo);
      const live = deliveries.filter((d) => !d.revokedAt);
      if (!order || order.status !== 'delivered' || live.length === 0)
        return { status: 'revoked', idempotencyKey };
      const campaign = order.campaignId ? await findCampaign(db, ref.teamId, order.campaignId) : undefined;
      const expires = live[0]!.expiresAt.toISOString().slice(0, 10);
      const lines = live.map((d) => {
        const link = `${config.links.publicUrl}/b/${tokenFor(d.id, d.expiresAt)}`;
        return [
          `${d.bonusName}`,
          ...(d.bonusDescription ? [d.bonusDescription] : []),
          `Download: ${link}`,
        ].join('\n');
      });
      const plural = live.length === 1 ? 'bonus is' : 'bonuses are';
      // The campaign's tracking link (source `bonus`): a buyer who passes it on is counted, and so is the sale.
      const share = campaign?.trackingSlug ? campaignLink(campaign, config.links, 'bonus') : null;
      const textBody = [
        'Hi,',
        `Thank you for your purchase${campaign ? ` (${campaign.name})` : ''}. Your ${plural} ready:`,
        ...lines,
        `The links work until ${expires}. Receipt: ${ref.receipt}.`,
        ...(share ? [`Know someone who would like it too? Share this link: ${share}`] : []),
      ].join('\n\n');
      const message: TrackedEmail = {
        teamId: ref.teamId,
        idempotencyKey,
        kind: 'bonus',
        to: order.buyerEmail,
        subject:
          live.length === 1 ? `Your bonus: ${live[0]!.bonusName}` : `Your ${live.length} bonuses are ready`,
        textBody,
        tag: 'bonus',
        metadata: { receipt: ref.receipt, item_no: ref.itemNo },
        ...(order.contactId ? { contactId: order.contactId } : {}),
      };
      const sent = await email.sendTrackedEmail(message);
      if (sent.status === 'sent') {
        // Keyed on the line: a retried attempt (Postmark answered, then the worker died) raises it once.
        const payload = bonusDeliveredPayload({
          receipt: ref.receipt,
          itemNo: ref.itemNo,
          campaignId: order.campaignId,
          buyerEmail: order.buyerEmail,
          contactId: order.contactId,
          messageId: sent.messageId,
          bonuses: live.map((d) => ({ id: d.id, name: d.bonusName, expiresAt: d.expiresAt })),
        });
        await firePlatformEvent(
          deps.temporal,
          { teamId: ref.teamId, type: 'bonus.delivered', id: `${ref.receipt}:${ref.itemNo}`, payload },
          (m, details) => {
            log.warn(m, details);
          },
        );
      }
      return sent;
    },

    /**
     * The buyer's bonus email, to the person who asked, marked as a test. A link bonus carries its link; a file
     * bonus says where each buyer's own download link goes (links are made per sale). No delivery is recorded.
     */
    async sendBonusTestEmail(input: BonusTestInput): Promise<BonusTestResult> {
      const [bonus, user] = await Promise.all([
        findBonus(db, input.teamId, input.bonusId),
        findUserById(db, input.userId),
      ]);
      if (!bonus || !user) return { status: 'missing', to: null };
      const download = bonus.url
        ? `Download: ${bonus.url}`
        : `Download: (each buyer gets a personal link to ${bonus.file?.name ?? 'the file'} here)`;
      const textBody = [
        'This is a test: it shows what a buyer of your campaign receives. It is not counted as a delivery.',
        'Hi,',
        'Thank you for your purchase. Your bonus is ready:',
        [bonus.name, ...(bonus.description ? [bonus.description] : []), download].join('\n'),
        `The links work for ${config.bonuses.linkTtlDays} days after the purchase.`,
      ].join('\n\n');
      const sent = await email.sendTrackedEmail({
        teamId: input.teamId,
        idempotencyKey: `bonus-test:${input.requestId}`,
        kind: 'bonus',
        to: user.email,
        subject: `[Test] Your bonus: ${bonus.name}`,
        textBody,
        tag: 'bonus-test',
        metadata: { bonus_id: bonus.id, test: 'true' },
      });
      return { status: sent.status, to: user.email };
    },
  };
}

export type BonusDeliveryActivities = ReturnType<typeof createBonusDeliveryActivities>;
