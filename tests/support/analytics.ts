import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordClickbankEvent, type ClickRecord, type ClickbankEvent } from '../../data/analytics';
import { recordWebhookEvent } from '../../data/webhook-events';
import { localDay } from '../../lib/time-zones';

/** A click as the redirect would record it: person by default, its day computed in `zone`. */
export function click(
  zone: string,
  c: Pick<ClickRecord, 'teamId' | 'campaignId' | 'linkId' | 'occurredAt'> & Partial<ClickRecord>,
): ClickRecord {
  return {
    clickId: null,
    visitorKey: randomUUID(),
    botReason: null,
    source: 'direct',
    sub1: null,
    sub2: null,
    sub3: null,
    device: 'desktop',
    browser: 'Chrome',
    country: null,
    referrerHost: null,
    ...c,
    day: localDay(c.occurredAt, zone),
  };
}

/** A ClickBank notification as the INS webhook stores and records it (a webhook_events row, then the event). */
export async function recordSale(
  db: Knex,
  e: Omit<ClickbankEvent, 'webhookEventId' | 'metadata' | 'currency'> & { currency?: string },
): Promise<{ campaignId: string | null; clickId: string | null }> {
  const { event } = await recordWebhookEvent(db, {
    source: 'clickbank',
    externalId: `${e.teamId}:${e.receipt}:${e.type}:${randomUUID()}`,
    teamId: e.teamId,
    payload: { test: true },
  });
  return recordClickbankEvent(db, {
    ...e,
    currency: e.currency ?? 'USD',
    metadata: {},
    webhookEventId: event.id,
  });
}
