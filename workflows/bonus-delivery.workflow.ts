import { proxyActivities } from '@temporalio/workflow';
import type { BonusDeliveryActivities } from '../activities/bonus-delivery';
import type { SequenceActivities } from '../activities/sequences';
import { databaseStep } from './activity-options';
import type { BonusDeliveryInput, BonusDeliveryResult } from './contracts/bonus-delivery';

const { prepareBonusDelivery, sendBonusEmail } = proxyActivities<BonusDeliveryActivities>(databaseStep);
const { enrollContactInSaleSequences } = proxyActivities<SequenceActivities>(databaseStep);

/**
 * One ClickBank sale line (SALE, BILL, TEST_SALE) -> the campaign's bonuses for the buyer. Workflow id
 * `bonus:<receipt>:<itemNo>`, started by clickbankNotificationWorkflow. Every step is idempotent: deliveries are
 * unique per receipt, item and bonus, the email is keyed `bonus:<receipt>:<itemNo>`, and a refund recorded
 * first blocks the delivery (the receipt's lock orders the two).
 */
export async function bonusDeliveryWorkflow(input: BonusDeliveryInput): Promise<BonusDeliveryResult> {
  const prepared = await prepareBonusDelivery.executeWithOptions(
    { summary: 'Match the campaign, check for a refund, create the download links' },
    [input],
  );
  const result: BonusDeliveryResult = {
    outcome: prepared.outcome,
    summary: prepared.summary,
    campaignId: prepared.campaignId,
    contactId: prepared.contactId,
    deliveries: prepared.deliveries,
  };
  if (prepared.outcome !== 'ready') return result;

  const email = await sendBonusEmail.executeWithOptions({ summary: 'Email the buyer the bonus links' }, [
    { teamId: input.teamId, receipt: input.receipt, itemNo: input.itemNo },
  ]);
  result.email = email.status;
  if (email.status === 'revoked') {
    result.summary = 'A refund arrived before the email went out: nothing sent';
    return result;
  }
  result.summary = `${prepared.deliveries} bonus link(s) emailed to the buyer (${email.status})`;

  if (prepared.contactId && prepared.campaignId) {
    const enrolled = await enrollContactInSaleSequences.executeWithOptions(
      { summary: "Enroll the buyer in the campaign's sale sequences" },
      [{ teamId: input.teamId, contactId: prepared.contactId, campaignId: prepared.campaignId }],
    );
    result.sequencesStarted = enrolled.started;
  }
  return result;
}
