import type { Knex } from 'knex';
import type { AnalyticsEventType } from '../lib/clickbank/ins';
import { campaignForTid } from './campaigns';
import { setWebhookEventStatus } from './webhook-events';

export interface ClickbankEvent {
  /** The webhook event's id: a retried attempt finds its own row instead of adding another. */
  webhookEventId: string;
  teamId: string;
  type: AnalyticsEventType;
  occurredAt: Date;
  amount: number | null;
  currency: string | null;
  /** The tracking code as ClickBank sent it. */
  tid: string | null;
  receipt: string;
  metadata: Record<string, unknown>;
}

/**
 * One analytics_events row for a ClickBank notification, attributed to the campaign of its tid, and the webhook
 * event marked processed, in one transaction. `inserted` is false when an earlier attempt wrote the row.
 */
export async function recordClickbankEvent(
  db: Knex,
  e: ClickbankEvent,
): Promise<{ inserted: boolean; campaignId: string | null }> {
  return db.transaction(async (trx) => {
    const campaignId = (e.tid ? await campaignForTid(trx, e.teamId, e.tid) : undefined) ?? null;
    const rows = await trx('analytics_events')
      .insert({
        id: e.webhookEventId,
        team_id: e.teamId,
        campaign_id: campaignId,
        type: e.type,
        occurred_at: e.occurredAt,
        amount: e.amount,
        currency: e.currency,
        tid: e.tid,
        receipt: e.receipt,
        metadata: JSON.stringify(e.metadata),
      })
      .onConflict(['id', 'occurred_at'])
      .ignore()
      .returning<{ id: string }[]>('id');
    await setWebhookEventStatus(trx, e.webhookEventId, 'processed');
    return { inserted: rows.length > 0, campaignId };
  });
}
