/** One sale line's bonus delivery (workflow id `bonus:<receipt>:<itemNo>`). */
export interface BonusDeliveryInput {
  teamId: string;
  webhookEventId: string;
  /** The ClickBank receipt, or a per-notification key when ClickBank masks it (test messages). */
  receipt: string;
  itemNo: string;
}

export type BonusDeliveryOutcome = 'ready' | 'no_campaign' | 'no_bonuses' | 'no_buyer_email' | 'blocked';

export interface BonusDeliveryResult {
  outcome: BonusDeliveryOutcome;
  summary: string;
  campaignId: string | null;
  contactId: string | null;
  deliveries: number;
  /** What became of the buyer's email ('sent', 'skipped', 'refused', or 'revoked' when a refund overtook it). */
  email?: 'sent' | 'skipped' | 'refused' | 'revoked';
  sequencesStarted?: string[];
}

export const bonusDeliveryWorkflowId = (receipt: string, itemNo: string) => `bonus:${receipt}:${itemNo}`;
