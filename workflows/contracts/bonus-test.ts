/** A bonus email sent to the signed-in person as a test (workflow id `bonus-test:<bonusId>:<requestId>`). */
export const BONUS_TEST_WORKFLOW = 'bonusTestDeliveryWorkflow';

export interface BonusTestInput {
  teamId: string;
  bonusId: string;
  /** The person who asked: the email goes to their account address. */
  userId: string;
  /** One per click: the email's idempotency key, so a retry never sends it twice. */
  requestId: string;
}

export interface BonusTestResult {
  status: 'sent' | 'skipped' | 'refused' | 'missing';
  to: string | null;
}

export const bonusTestWorkflowId = (bonusId: string, requestId: string): string =>
  `bonus-test:${bonusId}:${requestId}`;
