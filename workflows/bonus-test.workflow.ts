import { proxyActivities } from '@temporalio/workflow';
import type { BonusDeliveryActivities } from '../activities/bonus-delivery';
import { databaseStep } from './activity-options';
import type { BonusTestInput, BonusTestResult } from './contracts/bonus-test';

const { sendBonusTestEmail } = proxyActivities<BonusDeliveryActivities>(databaseStep);

/**
 * The bonus email a buyer gets, sent once to the person who asked, marked as a test: the same words and
 * the same tracked send (Postmark, the email log) as a delivery, but no delivery row, so nothing is counted.
 */
export async function bonusTestDeliveryWorkflow(input: BonusTestInput): Promise<BonusTestResult> {
  return sendBonusTestEmail.executeWithOptions({ summary: 'Email the bonus to you as a test' }, [input]);
}
