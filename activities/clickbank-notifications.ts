import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { recordClickbankEvent } from '../data/analytics';
import { findWebhookEvent, markWebhookEventFailed, setWebhookEventStatus } from '../data/webhook-events';
import {
  analyticsTypeFor,
  notificationTid,
  parseInsNotification,
  parseTransactionTime,
  type InsNotification,
} from '../lib/clickbank/ins';
import type {
  ClickbankNotificationInput,
  ClickbankNotificationSummary,
} from '../workflows/contracts/clickbank-notification';

const ClickbankNotificationFailure = {
  notFound: 'ClickbankNotificationNotFound',
  invalid: 'ClickbankNotificationInvalid',
} as const;

export function createClickbankNotificationActivities({ db }: { db: Knex }) {
  return {
    /**
     * Turns a stored INS notification into one analytics_events row and marks the webhook event processed.
     * The row's id is the webhook event's id, so a retried attempt finds its own row instead of adding another.
     */
    async recordClickbankNotification(
      ref: ClickbankNotificationInput,
    ): Promise<ClickbankNotificationSummary> {
      const event = await findWebhookEvent(db, ref.webhookEventId);
      if (!event || event.teamId !== ref.teamId || event.source !== 'clickbank') {
        throw ApplicationFailure.nonRetryable(
          `ClickBank webhook event ${ref.webhookEventId} does not exist for team ${ref.teamId}`,
          ClickbankNotificationFailure.notFound,
        );
      }
      let notification: InsNotification;
      try {
        notification = parseInsNotification(event.payload);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, ClickbankNotificationFailure.invalid);
      }
      const base = {
        webhookEventId: event.id,
        transactionType: notification.transactionType,
        receipt: notification.receipt,
      };

      const { type, reason } = analyticsTypeFor(notification);
      if (!type) {
        await setWebhookEventStatus(db, event.id, 'ignored', reason ?? null);
        return { ...base, outcome: 'ignored', reason };
      }

      let occurredAt: Date;
      try {
        occurredAt = parseTransactionTime(notification.transactionTime);
      } catch {
        // A time we cannot read should not lose the sale: the moment it reached us is the next best thing.
        occurredAt = event.receivedAt;
      }
      const tid = notificationTid(notification) ?? null;
      const currency =
        notification.currency && /^[A-Z]{3}$/.test(notification.currency) ? notification.currency : null;
      const amount = notification.totalAccountAmount ?? null;
      const { inserted, campaignId } = await recordClickbankEvent(db, {
        webhookEventId: event.id,
        teamId: ref.teamId,
        type,
        occurredAt,
        amount,
        currency,
        tid,
        receipt: notification.receipt,
        metadata: {
          source: 'clickbank-ins',
          webhookEventId: event.id,
          transactionType: notification.transactionType,
          vendor: notification.vendor ?? null,
          role: notification.role ?? null,
          itemNos: notification.lineItems.map((item) => item.itemNo),
        },
      });
      return {
        ...base,
        outcome: 'recorded',
        analyticsType: type,
        inserted,
        amount,
        currency,
        tid,
        campaignId,
        occurredAt: occurredAt.toISOString(),
      };
    },

    /** Leaves a notification the workflow gave up on visibly failed, with the reason. */
    async markClickbankNotificationFailed(input: { webhookEventId: string; reason: string }): Promise<void> {
      await markWebhookEventFailed(db, input.webhookEventId, input.reason);
    },
  };
}

export type ClickbankNotificationActivities = ReturnType<typeof createClickbankNotificationActivities>;
