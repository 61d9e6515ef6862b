import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { trackingLinkUrl } from '../../lib/content/campaign-link';
import { AppError, conflict } from '../../lib/errors';
import { findCampaign } from '../../data/campaigns';
import { isUniqueViolation } from '../../data/pg-errors';
import {
  findTrackingLink,
  insertTrackingLink,
  listTrackingLinks,
  SLUG_UNIQUE_CONSTRAINT,
  updateTrackingLink,
  type TrackingLinkRow,
} from '../../data/tracking-links';
import type { TeamMembership } from '../http/locals';

const SLUG_LENGTH = 10;
const SLUG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CREATE_ATTEMPTS = 5;

/** A random slug: 36^10 of them, so guessing another team's links is hopeless and a clash is rare. */
function randomSlug(): string {
  let slug = '';
  for (let i = 0; i < SLUG_LENGTH; i++) slug += SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)];
  return slug;
}

const campaignNotFound = () => new AppError(404, 'campaign_not_found', 'Campaign not found');
const linkNotFound = () => new AppError(404, 'link_not_found', 'Tracking link not found');

export function createTrackingLinkService(deps: { db: Knex; config: Pick<Config, 'links'> }) {
  const { db } = deps;
  const present = (row: TrackingLinkRow) => ({
    id: row.id,
    campaignId: row.campaignId,
    name: row.name,
    slug: row.slug,
    source: row.source,
    isPrimary: row.isPrimary,
    url: trackingLinkUrl(deps.config.links, row.slug),
    createdAt: row.createdAt,
    archivedAt: row.archivedAt,
  });

  async function campaignOf(m: TeamMembership, campaignId: string) {
    const campaign = await findCampaign(db, m.teamId, campaignId);
    if (!campaign) throw campaignNotFound();
    return campaign;
  }

  async function linkOf(m: TeamMembership, campaignId: string, linkId: string) {
    const link = await findTrackingLink(db, m.teamId, campaignId, linkId);
    if (!link) throw linkNotFound();
    return link;
  }

  return {
    async list(m: TeamMembership, campaignId: string, archived: boolean) {
      await campaignOf(m, campaignId);
      return { links: (await listTrackingLinks(db, m.teamId, campaignId, { archived })).map(present) };
    },

    /** A chosen slug that is taken (by anyone: slugs are global) is a 409 on `slug`; a generated one is redrawn. */
    async create(
      m: TeamMembership,
      userId: string,
      campaignId: string,
      body: { name: string; source: string; slug?: string },
    ) {
      const campaign = await campaignOf(m, campaignId);
      if (campaign.status === 'archived') {
        throw conflict('An archived campaign cannot get new links', 'campaign_archived');
      }
      for (let attempt = 1; ; attempt++) {
        const slug = body.slug ?? randomSlug();
        try {
          const link = await insertTrackingLink(db, {
            teamId: m.teamId,
            campaignId,
            slug,
            name: body.name,
            source: body.source,
            createdBy: userId,
          });
          return { link: present(link) };
        } catch (err) {
          if (!isUniqueViolation(err, SLUG_UNIQUE_CONSTRAINT)) throw err;
          if (body.slug !== undefined) {
            throw conflict('This link address is already taken', 'slug_taken', [
              { path: 'slug', message: 'Choose another address, or leave it empty for a random one' },
            ]);
          }
          if (attempt >= CREATE_ATTEMPTS) throw err;
        }
      }
    },

    async update(
      m: TeamMembership,
      campaignId: string,
      linkId: string,
      patch: { name?: string; source?: string },
    ) {
      const current = await linkOf(m, campaignId, linkId);
      if (current.archivedAt) throw conflict('An archived link cannot be changed', 'link_archived');
      const link = await updateTrackingLink(db, m.teamId, campaignId, linkId, patch);
      if (!link) throw linkNotFound();
      return { link: present(link) };
    },

    /**
     * Archived links still redirect (they are out in the world) but leave the list. The primary link stays: the
     * campaign's content and emails send readers to it. Archiving twice answers the link unchanged.
     */
    async archive(m: TeamMembership, campaignId: string, linkId: string) {
      const current = await linkOf(m, campaignId, linkId);
      if (current.isPrimary) {
        throw conflict(
          "The main link cannot be archived: the campaign's content and emails use it",
          'link_primary',
        );
      }
      if (current.archivedAt) return { link: present(current) };
      const link = await updateTrackingLink(db, m.teamId, campaignId, linkId, { archived: true });
      if (!link) throw linkNotFound();
      return { link: present(link) };
    },

    /** Brings an archived link back into the list (its slug, source and clicks are as they were). Idempotent. */
    async restore(m: TeamMembership, campaignId: string, linkId: string) {
      const current = await linkOf(m, campaignId, linkId);
      if (!current.archivedAt) return { link: present(current) };
      const link = await updateTrackingLink(db, m.teamId, campaignId, linkId, { archived: false });
      if (!link) throw linkNotFound();
      return { link: present(link) };
    },
  };
}

export type TrackingLinkService = ReturnType<typeof createTrackingLinkService>;
