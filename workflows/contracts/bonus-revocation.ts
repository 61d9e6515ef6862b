type RevocationReason = 'refund' | 'chargeback';

/** A refund or chargeback of a receipt (workflow id `bonus-revoke:<receipt>:<transactionType>`). */
export interface BonusRevocationInput {
  teamId: string;
  webhookEventId: string;
  receipt: string;
  transactionType: string;
}

export interface BonusRevocationWorkflowResult {
  reason: RevocationReason;
  revoked: number;
  sequencesStopped: number;
  notified: number;
  summary: string;
}

export const bonusRevocationWorkflowId = (receipt: string, transactionType: string) =>
  `bonus-revoke:${receipt}:${transactionType.toUpperCase()}`;
