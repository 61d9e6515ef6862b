/** Helpers for showing broadcasts (their shapes: $api/broadcasts). */
import type { Broadcast, BroadcastStatus } from '$api/broadcasts';

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

export const broadcastStatusLabel: Record<BroadcastStatus, string> = {
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** The API's limit on a broadcast name (api/schemas/broadcasts.ts). */
export const BROADCAST_NAME_MAX = 120;
