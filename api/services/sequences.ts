import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { AppError, conflict, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { unsubscribeUrl } from '../../lib/links';
import { findContact, findContactsByIds, pageContactsWithTag, type ContactRow } from '../../data/contacts';
import { listRuns, type SequenceRunStatus } from '../../data/sequence-runs';
import {
  deleteSequence,
  findCampaignTemplateData,
  findSequence,
  insertSequence,
  listSequences,
  listSteps,
  replaceSteps,
  updateSequence,
  type SequenceRow,
  type SequenceStep,
  type SequenceTrigger,
} from '../../data/sequences';
import type { TeamMembership } from '../http/locals';
import { emailTemplateVars, renderEmail } from '../../lib/email/render';
import { emailCampaign } from '../../lib/content/campaign-link';
import { createSequenceRunner } from '../../temporal/sequence-runs';

const RUNS_LIMIT = 500;
/** Contacts enrolled by tag are read in pages of this many. */
const TAG_PAGE = 500;

const SAMPLE_CONTACT = { email: 'alex.sample@example.com', firstName: 'Alex', lastName: 'Sample' };

const sequenceNotFound = () => new AppError(404, 'sequence_not_found', 'Sequence not found');
const campaignNotFound = () =>
  new AppError(404, 'campaign_not_found', 'Campaign not found', [
    { path: 'campaignId', message: 'No campaign of this team has this id' },
  ]);
const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

export interface SequenceServiceDeps {
  db: Knex;
  config: Pick<Config, 'links'>;
  logger: Logger;
  temporal: { client: Client } | null;
}

export function createSequenceService(deps: SequenceServiceDeps) {
  const { db, config } = deps;
  const runner = createSequenceRunner({ db, temporal: deps.temporal?.client ?? null });

  async function load(m: TeamMembership, sequenceId: string): Promise<SequenceRow> {
    const sequence = await findSequence(db, m.teamId, sequenceId);
    if (!sequence) throw sequenceNotFound();
    return sequence;
  }

  async function withSteps(m: TeamMembership, sequenceId: string) {
    const sequence = await load(m, sequenceId);
    return { sequence: { ...sequence, steps: await listSteps(db, m.teamId, sequenceId) } };
  }

  /** The team's contacts to enroll: the listed ids (unknown ids are left out) and/or every contact of a tag. */
  async function audience(teamId: string, ids: string[] | undefined, tag: string | undefined) {
    const contacts = new Map<string, Pick<ContactRow, 'id' | 'email' | 'status'>>();
    if (ids && ids.length > 0) {
      const rows = await findContactsByIds(db, teamId, ids);
      for (const row of rows) contacts.set(row.id, row);
    }
    if (tag) {
      let after: string | null = null;
      for (;;) {
        const rows = await pageContactsWithTag(db, teamId, tag, after, TAG_PAGE);
        for (const row of rows) contacts.set(row.id, row);
        if (rows.length < TAG_PAGE) break;
        after = rows.at(-1)!.id;
      }
    }
    return [...contacts.values()];
  }

  return {
    async create(
      m: TeamMembership,
      userId: string,
      body: { campaignId: string; name: string; trigger: SequenceTrigger; steps?: SequenceStep[] },
    ) {
      const campaign = await findCampaignTemplateData(db, m.teamId, body.campaignId);
      if (!campaign) throw campaignNotFound();
      const id = await insertSequence(db, {
        teamId: m.teamId,
        campaignId: campaign.id,
        name: body.name,
        trigger: body.trigger,
        createdBy: userId,
      });
      if (body.steps?.length) await replaceSteps(db, m.teamId, id, body.steps);
      return withSteps(m, id);
    },

    list: async (m: TeamMembership, campaignId?: string) => ({
      sequences: await listSequences(db, m.teamId, campaignId),
    }),

    get: withSteps,

    async update(m: TeamMembership, sequenceId: string, patch: { name?: string; trigger?: SequenceTrigger }) {
      if (!(await updateSequence(db, m.teamId, sequenceId, patch))) throw sequenceNotFound();
      return withSteps(m, sequenceId);
    },

    /** Replaces the ordered steps; running runs keep the steps they started with. */
    async replaceSteps(m: TeamMembership, sequenceId: string, steps: SequenceStep[]) {
      await load(m, sequenceId);
      await replaceSteps(db, m.teamId, sequenceId, steps);
      return withSteps(m, sequenceId);
    },

    /** Stops the sequence's running runs (at once), then deletes it with its steps and run rows. */
    async remove(m: TeamMembership, sequenceId: string): Promise<void> {
      await load(m, sequenceId);
      await runner.stopSequenceRuns({ teamId: m.teamId, sequenceId, reason: 'The sequence was deleted' });
      await deleteSequence(db, m.teamId, sequenceId);
    },

    /** The email as a contact (or, without one, a sample reader) would get it. */
    async preview(
      m: TeamMembership,
      sequenceId: string,
      body: { subject: string; body: string; contactId?: string },
    ) {
      const sequence = await load(m, sequenceId);
      let reader: { id?: string; email: string; firstName: string | null; lastName: string | null } =
        SAMPLE_CONTACT;
      if (body.contactId) {
        const contact = await findContact(db, m.teamId, body.contactId);
        if (!contact) {
          throw new AppError(404, 'contact_not_found', 'Contact not found', [
            { path: 'contactId', message: 'No contact of this team has this id' },
          ]);
        }
        reader = contact;
      }
      const campaign = await findCampaignTemplateData(db, m.teamId, sequence.campaignId);
      const unsubscribe = reader.id
        ? unsubscribeUrl(config.links, reader.id)
        : `${config.links.publicUrl}/u/preview`;
      return renderEmail(body, emailTemplateVars(emailCampaign(campaign, config.links), reader, unsubscribe));
    },

    async enroll(m: TeamMembership, sequenceId: string, body: { contactIds?: string[]; tag?: string }) {
      const sequence = await load(m, sequenceId);
      if (sequence.stepCount === 0) {
        throw conflict('Add at least one step before enrolling contacts', 'sequence_empty');
      }
      if (!deps.temporal) throw temporalUnavailable();
      const contacts = await audience(m.teamId, body.contactIds, body.tag);
      let outcome;
      try {
        outcome = await runner.enroll(sequence, contacts, 'manual');
      } catch (err) {
        deps.logger.warn({ err, sequenceId }, 'could not start sequence runs');
        throw temporalUnavailable();
      }
      // Ids that are not contacts of this team count as skipped too.
      const unknown = new Set(body.contactIds ?? []);
      for (const contact of contacts) unknown.delete(contact.id);
      return {
        started: outcome.started.length,
        alreadyRunning: outcome.alreadyRunning.length,
        skipped: outcome.skipped.length + unknown.size,
      };
    },

    async runs(m: TeamMembership, sequenceId: string, status?: SequenceRunStatus) {
      await load(m, sequenceId);
      const runs = await listRuns(db, m.teamId, sequenceId, { status, limit: RUNS_LIMIT });
      return {
        runs: runs.map((r) => ({
          id: r.id,
          workflowId: r.workflowId,
          contactId: r.contactId,
          contactEmail: r.contactEmail,
          status: r.status,
          triggerSource: r.triggerSource,
          currentStep: r.currentStep,
          totalSteps: r.totalSteps,
          nextSendAt: r.nextSendAt,
          stopReason: r.stopReason,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
        })),
      };
    },
  };
}

export type SequenceService = ReturnType<typeof createSequenceService>;
