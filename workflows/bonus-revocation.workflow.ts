import { proxyActivities } from '@temporalio/workflow';
import type { BonusRevocationActivities } from '../activities/bonus-revocation';
import type { EmailActivities } from '../activities/email';
import type { SequenceActivities } from '../activities/sequences';
import { databaseStep, emailSend } from './activity-options';
import type { BonusRevocationInput, BonusRevocationWorkflowResult } from './contracts/bonus-revocation';

const { revokeBonusAccess, bonusRevocationNotices } =
  proxyActivities<BonusRevocationActivities>(databaseStep);
const { stopContactSequences } = proxyActivities<SequenceActivities>(databaseStep);
const { sendTrackedEmail } = proxyActivities<EmailActivities>(emailSend);

/**
 * A ClickBank refund or chargeback (RFND, CGBK) of a receipt: records it (so a sale that arrives later is not
 * delivered), revokes the receipt's bonus links (they answer 410), stops the buyer's sequences and tells the
 * team's owners and admins. Workflow id `bonus-revoke:<receipt>:<transactionType>`.
 */
export async function bonusRevocationWorkflow(
  input: BonusRevocationInput,
): Promise<BonusRevocationWorkflowResult> {
  const revoked = await revokeBonusAccess.executeWithOptions(
    { summary: `Record the ${input.transactionType} and revoke the receipt's bonus links` },
    [input],
  );
  let sequencesStopped = 0;
  for (const contactId of revoked.contactIds) {
    const stopped = await stopContactSequences.executeWithOptions(
      { summary: "Stop the buyer's email sequences" },
      [{ teamId: input.teamId, contactId, reason: `${revoked.reason} of receipt ${input.receipt}` }],
    );
    sequencesStopped += stopped.stopped;
  }
  let notified = 0;
  if (revoked.revoked > 0) {
    const notices = await bonusRevocationNotices.executeWithOptions(
      { summary: 'Write the notice for the team owners and admins' },
      [{ teamId: input.teamId, receipt: input.receipt, reason: revoked.reason }],
    );
    for (const notice of notices) {
      const sent = await sendTrackedEmail.executeWithOptions({ summary: `Notify ${notice.to}` }, [notice]);
      if (sent.status === 'sent') notified++;
    }
  }
  return {
    reason: revoked.reason,
    revoked: revoked.revoked,
    sequencesStopped,
    notified,
    summary:
      revoked.revoked > 0
        ? `${revoked.revoked} bonus link(s) revoked after a ${revoked.reason}; ${notified} team member(s) notified`
        : `No bonus delivered for this receipt yet: the ${revoked.reason} is recorded and blocks a later sale`,
  };
}
