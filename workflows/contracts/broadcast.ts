import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One email to every active contact with a tag, at a chosen time (`broadcast:<id>`). */
export const BROADCAST_WORKFLOW = 'broadcastWorkflow';

interface BroadcastTotals {
  recipients: number;
  sent: number;
  skipped: number;
  refused: number;
}

/** One object argument; cursor and totals carry the state across continueAsNew. */
export interface BroadcastInput {
  teamId: string;
  broadcastId: string;
  /** ISO time to send at. */
  sendAt: string;
  /** Contacts per Postmark batch request (at most 500). */
  pageSize?: number;
  /** Pages per run before continueAsNew, which keeps each history short. */
  pagesPerRun?: number;
  /** Set after continueAsNew: the last contact id sent so far (the send has begun). */
  cursor?: string;
  totals?: BroadcastTotals;
}

export interface BroadcastProgress extends BroadcastTotals {
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';
}

export const cancelBroadcastSignal = defineSignal('cancelBroadcast');
export const broadcastProgressQuery = defineQuery<BroadcastProgress>('broadcastProgress');

/** Business key: one run per broadcast. */
export const broadcastWorkflowId = (broadcastId: string): string => `broadcast:${broadcastId}`;
