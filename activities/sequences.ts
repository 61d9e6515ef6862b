import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { findContact } from '../data/contacts';
import {
  findRunByWorkflowId,
  finishRun,
  recordRunProgress,
  type SequenceRunStatus,
} from '../data/sequence-runs';
import {
  findCampaignTemplateData,
  findSequence,
  listSaleSequences,
  listSteps,
  type SequenceStep,
} from '../data/sequences';
import { emailTemplateVars, renderEmail } from '../lib/email/render';
import { emailCampaign } from '../lib/content/campaign-link';
import { createSequenceRunner } from '../temporal/sequence-runs';
import type { Config } from '../lib/config';
import { unsubscribeUrl } from '../lib/links';
import type { EmailSequenceInput } from '../workflows/contracts/email-sequence';
import type { TrackedEmail } from './email';

export interface SequenceSnapshot {
  campaignId: string;
  name: string;
  steps: SequenceStep[];
}

export interface SequenceActivityDeps {
  db: Knex;
  config: Pick<Config, 'links'>;
  /** The worker's client: sale enrollment starts runs, refusals signal them. */
  temporal?: Client;
}

export function createSequenceActivities(deps: SequenceActivityDeps) {
  const { db, config } = deps;
  const runner = createSequenceRunner({ db, temporal: deps.temporal ?? null });

  const needTemporal = () => {
    if (!deps.temporal) {
      throw ApplicationFailure.nonRetryable('This worker has no Temporal client', 'NoTemporalClient');
    }
  };

  return {
    /** The steps as they are now: the run keeps this copy, so later edits only reach new runs. */
    async loadSequenceSnapshot(input: EmailSequenceInput): Promise<SequenceSnapshot | null> {
      const sequence = await findSequence(db, input.teamId, input.sequenceId);
      if (!sequence) return null;
      const steps = await listSteps(db, input.teamId, input.sequenceId);
      return {
        campaignId: sequence.campaignId,
        name: sequence.name,
        steps: steps.map(({ subject, body, delaySeconds }) => ({ subject, body, delaySeconds })),
      };
    },

    async recordSequenceRunProgress(p: {
      workflowId: string;
      currentStep: number;
      totalSteps: number;
      nextSendAt: string | null;
    }): Promise<void> {
      await recordRunProgress(db, { ...p, nextSendAt: p.nextSendAt ? new Date(p.nextSendAt) : null });
    },

    async finishSequenceRun(f: {
      workflowId: string;
      status: Exclude<SequenceRunStatus, 'running'>;
      reason: string | null;
      currentStep: number;
    }): Promise<void> {
      await finishRun(db, f);
    },

    /**
     * This step's email for the contact as it is now (name, address), ready for sendTrackedEmail; null when the
     * run is no longer running in the database (stopped while the signal could not be delivered, sequence or
     * contact deleted).
     */
    async renderSequenceEmail(r: {
      teamId: string;
      sequenceId: string;
      contactId: string;
      campaignId: string;
      workflowId: string;
      stepIndex: number;
      step: SequenceStep;
    }): Promise<TrackedEmail | null> {
      const run = await findRunByWorkflowId(db, r.workflowId);
      if (!run || run.status !== 'running') return null;
      const contact = await findContact(db, r.teamId, r.contactId);
      if (!contact) return null;
      const campaign = await findCampaignTemplateData(db, r.teamId, r.campaignId);
      const vars = emailTemplateVars(
        emailCampaign(campaign, config.links),
        contact,
        unsubscribeUrl(config.links, contact.id),
      );
      const email = renderEmail(r.step, vars);
      return {
        teamId: r.teamId,
        idempotencyKey: `seq:${r.sequenceId}:${r.contactId}:${r.stepIndex}`,
        kind: 'sequence',
        to: contact.email,
        subject: email.subject,
        textBody: email.text,
        htmlBody: email.html,
        contactId: contact.id,
        stream: 'outbound',
        tag: 'sequence',
        metadata: { sequence_id: r.sequenceId, step: String(r.stepIndex + 1) },
      };
    },

    /**
     * Used by the bonus workflow: enrolls a buyer in the campaign's sale-triggered sequences. Runs that exist
     * already are left as they are (a duplicate sale never doubles a run).
     */
    async enrollContactInSaleSequences(e: {
      teamId: string;
      contactId: string;
      campaignId: string;
    }): Promise<{ started: string[] }> {
      needTemporal();
      const contact = await findContact(db, e.teamId, e.contactId);
      if (!contact) return { started: [] };
      const sequences = await listSaleSequences(db, e.teamId, e.campaignId);
      const started: string[] = [];
      for (const sequence of sequences) {
        const outcome = await runner.enroll(
          { ...sequence, teamId: e.teamId, campaignId: e.campaignId, trigger: 'sale' },
          [contact],
          'sale',
        );
        started.push(...outcome.started);
      }
      return { started };
    },

    /** Stops every running sequence run of the contact at once (refusal, refund, unsubscribe). */
    async stopContactSequences(s: {
      teamId: string;
      contactId: string;
      reason: string;
    }): Promise<{ stopped: number }> {
      return runner.stopContactSequences(s);
    },
  };
}

export type SequenceActivities = ReturnType<typeof createSequenceActivities>;
