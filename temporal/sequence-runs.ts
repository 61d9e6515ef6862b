import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Knex } from 'knex';
import type { ContactRow } from '../../data/contacts';
import { renderTemplate, textToHtml, type TemplateVars } from '../../lib/email/render';
import { SearchAttr } from '../../workflows/contracts/search-attributes';
import { TaskQueue } from '../../workflows/contracts/task-queues';
import {
  EMAIL_SEQUENCE_WORKFLOW,
  stopSequenceSignal,
  type EmailSequenceInput,
} from '../../workflows/contracts/email-sequence';
import type { CampaignTemplateData, SequenceTrigger } from '../../data/sequences';
import { claimRun, deleteRun, markRunsStopped, runningWorkflowIds } from '../../data/sequence-runs';

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

/** Template variables for one contact of a campaign (sample values in previews). */
export function emailTemplateVars(
  campaign: CampaignTemplateData | null,
  contact: { email: string; firstName: string | null; lastName: string | null },
  unsubscribeUrl: string,
): TemplateVars {
  return {
    first_name: contact.firstName,
    last_name: contact.lastName,
    email: contact.email,
    product: campaign?.productTitle,
    hoplink: campaign?.hoplink,
    campaign: campaign?.name,
    unsubscribe_url: unsubscribeUrl,
  };
}

export function renderEmail(
  template: { subject: string; body: string },
  vars: TemplateVars,
): { subject: string; text: string; html: string } {
  const subject = renderTemplate(template.subject, vars).replace(/\s+/g, ' ').trim();
  const text = renderTemplate(template.body, vars);
  return { subject, text, html: textToHtml(text) };
}

/**
 * Starts and stops `seq:<sequence>:<contact>` runs. Shared by the API (enroll, delete, /u/{token}) and the
 * worker's activities (sale enrollment, refusals), so every path keeps the run rows and workflows in step.
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
        const searchAttributes: SearchAttributePair[] = [
          { key: SearchAttr.TeamId, value: sequence.teamId },
          { key: SearchAttr.CampaignId, value: sequence.campaignId },
          { key: SearchAttr.TriggerSource, value: triggerSource },
        ];
        try {
          await client.workflow.start(EMAIL_SEQUENCE_WORKFLOW, {
            taskQueue: TaskQueue.main,
            workflowId: run.workflowId,
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            args: [input],
            typedSearchAttributes: searchAttributes,
            staticSummary: `Sequence "${sequence.name}" for ${contact.email}`,
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

export type SequenceRunner = ReturnType<typeof createSequenceRunner>;
