import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One drip sequence for one contact (`seq:<sequenceId>:<contactId>`); the API starts, signals and queries it. */
export const EMAIL_SEQUENCE_WORKFLOW = 'emailSequenceWorkflow';

/** One object argument: which sequence, for which contact. */
export interface EmailSequenceInput {
  teamId: string;
  sequenceId: string;
  contactId: string;
}

export interface StopSequenceInput {
  reason: string;
}

export type SequenceRunOutcome = 'running' | 'completed' | 'stopped' | 'failed';

export interface SequenceProgress {
  status: SequenceRunOutcome;
  /** Steps sent so far (also the index of the next step). */
  sent: number;
  totalSteps: number;
  nextSendAt: string | null;
  stopReason: string | null;
}

export const stopSequenceSignal = defineSignal<[StopSequenceInput]>('stopSequence');
export const sequenceProgressQuery = defineQuery<SequenceProgress>('sequenceProgress');

/** Business key: one run per sequence and contact. */
export const sequenceWorkflowId = (sequenceId: string, contactId: string): string =>
  `seq:${sequenceId}:${contactId}`;
