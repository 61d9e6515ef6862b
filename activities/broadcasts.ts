import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  audiencePage,
  findBroadcast,
  recordBroadcastCounts,
  setBroadcastStatus,
  type BroadcastCounts,
} from '../data/broadcasts';
import { findCampaignTemplateData } from '../data/sequences';
import { emailCampaign } from '../lib/content/campaign-link';
import { emailTemplateVars, renderEmail } from '../lib/email/render';
import type { Config } from '../lib/config';
import { unsubscribeUrl } from '../lib/links';
import { createEmailActivities, type TrackedEmail } from './email';

export type BroadcastTotals = BroadcastCounts;

export interface BroadcastPageResult extends BroadcastTotals {
  /** The last contact id of this page (the next page starts after it); null when the page was empty. */
  lastContactId: string | null;
}

export interface BroadcastActivityDeps {
  db: Knex;
  config: Pick<Config, 'integrations' | 'links'>;
}

export function createBroadcastActivities(deps: BroadcastActivityDeps) {
  const { db, config } = deps;
  const email = createEmailActivities(deps);

  return {
    /** scheduled -> sending; false when the broadcast was cancelled first. */
    async beginBroadcast(b: { teamId: string; broadcastId: string }): Promise<boolean> {
      const begun = await setBroadcastStatus(db, { ...b, from: ['scheduled'], status: 'sending' });
      if (begun) return true;
      // A retried attempt whose first try already moved it on.
      const row = await findBroadcast(db, b.teamId, b.broadcastId);
      return row?.status === 'sending';
    },

    /**
     * One keyset page of the tag's active contacts: render each, one Postmark batch request (each email at
     * most once per `broadcast:<id>:<contact>` key), and only counts back (no per-recipient data in history).
     */
    async sendBroadcastPage(p: {
      teamId: string;
      broadcastId: string;
      afterContactId: string | null;
      limit: number;
    }): Promise<BroadcastPageResult> {
      const broadcast = await findBroadcast(db, p.teamId, p.broadcastId);
      if (!broadcast) throw ApplicationFailure.nonRetryable('The broadcast was deleted', 'BroadcastNotFound');
      // A broadcast for a campaign: {{ hoplink }} is its tracking link, counted under the source `broadcast`.
      const campaign = broadcast.campaignId
        ? emailCampaign(
            await findCampaignTemplateData(db, p.teamId, broadcast.campaignId),
            config.links,
            'broadcast',
          )
        : null;
      const contacts = await audiencePage(db, {
        teamId: p.teamId,
        tag: broadcast.tag,
        afterId: p.afterContactId,
        limit: p.limit,
      });
      const emails = contacts.map((contact): TrackedEmail => {
        const vars = emailTemplateVars(campaign, contact, unsubscribeUrl(config.links, contact.id));
        const rendered = renderEmail(broadcast, vars);
        return {
          teamId: p.teamId,
          idempotencyKey: `broadcast:${broadcast.id}:${contact.id}`,
          kind: 'broadcast',
          to: contact.email,
          subject: rendered.subject,
          textBody: rendered.text,
          htmlBody: rendered.html,
          contactId: contact.id,
          stream: 'broadcast',
          tag: 'broadcast',
          metadata: { broadcast_id: broadcast.id },
        };
      });
      const results = await email.sendTrackedBatch(emails);
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return {
        recipients: contacts.length,
        sent: count('sent'),
        skipped: count('skipped'),
        refused: count('refused'),
        lastContactId: contacts.at(-1)?.id ?? null,
      };
    },

    async recordBroadcastProgress(p: {
      teamId: string;
      broadcastId: string;
      totals: BroadcastTotals;
    }): Promise<void> {
      await recordBroadcastCounts(db, p.teamId, p.broadcastId, p.totals);
    },

    async finishBroadcast(f: {
      teamId: string;
      broadcastId: string;
      status: 'sent' | 'cancelled' | 'failed';
      failure?: string;
    }): Promise<void> {
      const from: ('scheduled' | 'sending')[] = f.status === 'sent' ? ['sending'] : ['scheduled', 'sending'];
      await setBroadcastStatus(db, {
        teamId: f.teamId,
        broadcastId: f.broadcastId,
        from,
        status: f.status,
        failure: f.failure,
      });
    },
  };
}

export type BroadcastActivities = ReturnType<typeof createBroadcastActivities>;
