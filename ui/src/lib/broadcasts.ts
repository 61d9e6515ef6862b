/** Shapes of the broadcasts API. */
export type BroadcastStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';

export interface Broadcast {
  id: string;
  teamId: string;
  name: string;
  subject: string;
  body: string;
  tag: string;
  sendAt: string;
  status: BroadcastStatus;
  recipients: number;
  sent: number;
  skipped: number;
  refused: number;
  workflowId: string;
  failure: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const broadcastTone: Record<BroadcastStatus, string> = {
  scheduled: 'pending',
  sending: 'pending',
  sent: 'completed',
  cancelled: '',
  failed: 'failed',
};

/** Recipients handled so far (sent, skipped as unsubscribed, refused by Postmark). */
export function handled(b: Broadcast): number {
  return b.sent + b.skipped + b.refused;
}
