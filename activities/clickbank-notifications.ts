import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { recordClickbankEvent } from '../data/analytics';
import { activeClickbankAutomations } from '../data/automation-triggers';
import { campaignForTid } from '../data/campaigns';
import { findWebhookEvent, markWebhookEventFailed, setWebhookEventStatus } from '../data/webhook-events';
import {
  analyticsTypeFor,
  notificationTid,
  parseInsNotification,
  parseTransactionTime,
} from '../lib/clickbank/ins';
import { clickbankTriggerMatches, clickbankTriggerPayload } from '../lib/automations/clickbank-trigger';
import { startAutomationRun } from '../temporal/automation-starts';
import type {
  ClickbankNotificationInput,
  ClickbankNotificationSummary,
} from '../workflows/contracts/clickbank-notification';

const ClickbankNotificationFailure = {
  notFound: 'ClickbankNotificationNotFound',
  invalid: 'ClickbankNotificationInvalid',
} as const;

export function createClickbankNotificationActivities({ db, temporal }: { db: Knex; temporal?: Client }) {
  /** The stored notification of this team, decoded; a missing or unreadable one fails for good. */
  async function loadNotification(ref: ClickbankNotificationInput) {
    const event = await findWebhookEvent(db, ref.webhookEventId);
    if (!event || event.teamId !== ref.teamId || event.source !== 'clickbank') {
      throw ApplicationFailure.nonRetryable(
        `ClickBank webhook event ${ref.webhookEventId} does not exist for team ${ref.teamId}`,
        ClickbankNotificationFailure.notFound,
      );
    }
    try {
      return { event, notification: parseInsNotification(event.payload) };
    } catch (err) {
      throw ApplicationFailure.nonRetryable((err as Error).message, ClickbankNotificationFailure.invalid);
    }
  }

  return {
    /**
     * Turns a stored INS notification into one analytics_events row and marks the webhook event processed.
     * The row's id is the webhook event's id, so a retried attempt finds its own row instead of adding another.
     */
    async recordClickbankNotification(
      ref: ClickbankNotificationInput,
    ): Promise<ClickbankNotificationSummary> {
      const { event, notification } = await loadNotification(ref);
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
      const recorded = await recordClickbankEvent(db, {
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
        inserted: recorded.inserted,
        amount,
        currency,
        tid,
        campaignId: recorded.campaignId,
        clickId: recorded.clickId,
        attributedTo: recorded.attributedTo,
        source: recorded.source,
        occurredAt: occurredAt.toISOString(),
      };
    },

    /**
     * Starts every active automation of the team whose `clickbank` trigger matches the notification (transaction
     * type, vendor, item, campaign), once per automation and notification: the run key `cb:<dedupeKey>` is the
     * same for ClickBank's redeliveries, so a retried attempt or a repeated INS finds the runs already started.
     */
    async startClickbankAutomations(
      ref: ClickbankNotificationInput,
    ): Promise<{ automationId: string; workflowId: string; started: boolean }[]> {
      const automations = await activeClickbankAutomations(db, ref.teamId);
      if (automations.length === 0) return [];
      if (!temporal) {
        throw ApplicationFailure.nonRetryable('The worker has no Temporal client to start automation runs');
      }
      const { notification } = await loadNotification(ref);
      const tid = notificationTid(notification) ?? null;
      const campaignId = (tid ? await campaignForTid(db, ref.teamId, tid) : undefined) ?? null;
      const payload = clickbankTriggerPayload(notification, { tid, campaignId });
      const runs: { automationId: string; workflowId: string; started: boolean }[] = [];
      for (const a of automations) {
        if (!clickbankTriggerMatches(a.trigger, payload)) continue;
        const run = await startAutomationRun(temporal, db, {
          automation: { id: a.id, teamId: a.teamId, name: a.name },
          version: { id: a.versionId, version: a.version, definition: a.definition },
          trigger: { source: 'clickbank', payload, key: `cb:${ref.dedupeKey}` },
        });
        runs.push({ automationId: a.id, workflowId: run.workflowId, started: run.started });
      }
      return runs;
    },

    /** Leaves a notification the workflow gave up on visibly failed, with the reason. */
    async markClickbankNotificationFailed(input: { webhookEventId: string; reason: string }): Promise<void> {
      await markWebhookEventFailed(db, input.webhookEventId, input.reason);
    },
  };
}

export type ClickbankNotificationActivities = ReturnType<typeof createClickbankNotificationActivities>;
