// A ClickBank INS notification after the webhook stored it: analytics, then the bonus runs it names.

export const CLICKBANK_NOTIFICATION_WORKFLOW = 'clickbankNotificationWorkflow';

/** One object argument: the stored webhook event to act on (the payload stays in the database). */
export interface ClickbankNotificationInput {
  teamId: string;
  webhookEventId: string;
  dedupeKey: string;
}

type AnalyticsTransactionType = 'sale' | 'rebill' | 'refund' | 'chargeback';

export interface ClickbankNotificationSummary {
  webhookEventId: string;
  transactionType: string;
  receipt: string;
  outcome: 'recorded' | 'ignored';
  /** Why nothing was recorded (test message, a type analytics does not count). */
  reason?: string;
  analyticsType?: AnalyticsTransactionType;
  /** False when an earlier attempt had already written the row. */
  inserted?: boolean;
  amount?: number | null;
  currency?: string | null;
  tid?: string | null;
  campaignId?: string | null;
  /** The click id read from the tid (prefix + 8 characters), whether or not that click is stored. */
  clickId?: string | null;
  /** click: its stored click (and so its source, sub-ids, device, country); campaign: only the campaign. */
  attributedTo?: 'click' | 'campaign' | 'none';
  /** The click's source (e.g. youtube, email) when attributed to a click. */
  source?: string | null;
  occurredAt?: string;
}

export interface ClickbankNotificationResult extends ClickbankNotificationSummary {
  /** The bonus runs this notification started (or found already started), by workflow id. */
  bonusRuns?: { workflowId: string; started: boolean }[];
  /** The automation runs it started (or found started by a redelivery), by automation. */
  automationRuns?: { automationId: string; workflowId: string; started: boolean }[];
}

/** Business key: a redelivered notification (same team and dedupe key) reaches the same run. */
export const clickbankNotificationWorkflowId = (teamId: string, dedupeKey: string): string =>
  `clickbank-ins:${teamId}:${dedupeKey}`;
