import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { ContactRow } from '../data/contacts';
import { claimRun, deleteRun, markRunsStopped, runningWorkflowIds } from '../data/sequence-runs';
import type { SequenceTrigger } from '../data/sequences';
import { stopSequenceSignal, type EmailSequenceInput } from '../workflows/contracts/email-sequence';
import { startEmailSequence } from './starts';

/** How many workflow starts or signals go out at once. */
const CONCURRENCY = 10;

export interface EnrollSequence {
  id: string;
  teamId: string;
  campaignId: string;
  name: string;
  trigger: SequenceTrigger;
}

export type EnrollContact = Pick<ContactRow, 'id' | 'email' | 'status'>;

export interface EnrollOutcome {
  /** Workflow ids of the runs this call started. */
  started: string[];
  alreadyRunning: string[];
  /** Contacts that finished (or left) this sequence before, or are not active. */
  skipped: string[];
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    await Promise.all(items.slice(i, i + CONCURRENCY).map(work));
  }
}

/**
 * Starts and stops `seq:<sequence>:<contact>` runs. Shared by the API (enroll, delete, /u/{token}) and the
 * worker's activities (sale enrollment, refusals), so every path keeps the run rows and workflows in step. It
 * lives beside the starters because it is Temporal plus the run rows: lib/ (the ground floor) cannot reach
 * data/, and api/ is not the worker's to import.
 */
export function createSequenceRunner(deps: { db: Knex; temporal: Client | null }) {
  const { db } = deps;

  async function signalStop(workflowIds: string[], reason: string): Promise<void> {
    const client = deps.temporal;
    if (!client) return;
    await inBatches(workflowIds, async (workflowId) => {
      try {
        await client.workflow.getHandle(workflowId).signal(stopSequenceSignal, { reason });
      } catch (err) {
        // A run that already closed is what we wanted anyway.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    });
  }

  /**
   * Marks the runs stopped at once (so lists and the next render see it even if Temporal is away), then
   * signals each workflow, which ends even mid-timer.
   */
  async function stopRuns(workflowIds: string[], reason: string): Promise<number> {
    await markRunsStopped(db, workflowIds, reason);
    await signalStop(workflowIds, reason);
    return workflowIds.length;
  }

  return {
    stopRuns,

    /** Every running sequence run of the contact (unsubscribe, refusal, refund). */
    async stopContactSequences(s: { teamId: string; contactId: string; reason: string }) {
      const ids = await runningWorkflowIds(db, { teamId: s.teamId, contactId: s.contactId });
      return { stopped: await stopRuns(ids, s.reason) };
    },

    async stopSequenceRuns(s: { teamId: string; sequenceId: string; reason: string }) {
      const ids = await runningWorkflowIds(db, { teamId: s.teamId, sequenceId: s.sequenceId });
      return { stopped: await stopRuns(ids, s.reason) };
    },

    /**
     * One run per active contact: a new contact gets a row and a workflow; a running one is left alone (its
     * start is repeated with USE_EXISTING, which also repairs a row whose start once failed); a finished one
     * is never restarted (REJECT_DUPLICATE).
     */
    async enroll(
      sequence: EnrollSequence,
      contacts: EnrollContact[],
      triggerSource: SequenceTrigger,
    ): Promise<EnrollOutcome> {
      const client = deps.temporal;
      if (!client) throw new Error('Temporal is not available');
      const outcome: EnrollOutcome = { started: [], alreadyRunning: [], skipped: [] };
      await inBatches(contacts, async (contact) => {
        if (contact.status !== 'active') {
          outcome.skipped.push(contact.id);
          return;
        }
        const run = await claimRun(db, {
          teamId: sequence.teamId,
          sequenceId: sequence.id,
          contactId: contact.id,
          triggerSource,
        });
        if (!run.created && run.status !== 'running') {
          outcome.skipped.push(run.workflowId);
          return;
        }
        const input: EmailSequenceInput = {
          teamId: sequence.teamId,
          sequenceId: sequence.id,
          contactId: contact.id,
        };
        try {
          await startEmailSequence(client, {
            input,
            campaignId: sequence.campaignId,
            triggerSource,
            sequenceName: sequence.name,
            contactEmail: contact.email,
          });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            // The run closed earlier (its row was not updated): never start it again.
            outcome.skipped.push(run.workflowId);
            return;
          }
          if (run.created) await deleteRun(db, run.workflowId);
          throw err;
        }
        (run.created ? outcome.started : outcome.alreadyRunning).push(run.workflowId);
      });
      return outcome;
    },
  };
}
