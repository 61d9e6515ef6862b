import { proxyActivities } from '@temporalio/workflow';

/** Test-only workflow: one Postmark send with a quick retry policy, to show Temporal retrying typed failures. */
export interface PostmarkSendTestInput {
  to: string;
  subject: string;
}

export interface PostmarkSendTestActivities {
  sendTestEmail(input: PostmarkSendTestInput): Promise<{ messageId: string; attempt: number }>;
}

const { sendTestEmail } = proxyActivities<PostmarkSendTestActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 1, maximumAttempts: 5 },
});

export async function postmarkSendTestWorkflow(input: PostmarkSendTestInput) {
  return sendTestEmail(input);
}
