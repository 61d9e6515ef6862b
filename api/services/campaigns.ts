import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { isIntegrationError } from '../../lib/integrations/adapters/errors';
import type { Config } from '../../lib/config';
import { AppError, conflict } from '../../lib/errors';
import { createIntegrationResolver } from '../../lib/integrations/resolve';
import {
  findCampaign,
  findProductVendor,
  insertCampaign,
  listCampaigns,
  CLICK_PREFIX_UNIQUE_CONSTRAINT,
  TID_UNIQUE_CONSTRAINT,
  updateCampaign,
  type CampaignWithLink,
} from '../../data/campaigns';
import { teamIntegrationStore } from '../../data/integrations';
import { isUniqueViolation } from '../../data/pg-errors';
import { CLICK_PREFIX_MAX_LENGTH } from '../../lib/analytics/tid';
import { trackingLinkUrl } from '../../lib/content/campaign-link';
import type { TeamMembership } from '../http/locals';
import type { CampaignStatus } from '../schemas/campaigns';

/**
 * A campaign's tid is also the click prefix of its tracked clicks (tid = prefix + 8-character click id, at most 24
 * letters and digits: lib/analytics/tid.ts), so it gets at most 16 characters and no underscore.
 */
const SUFFIX_LENGTH = 6;
const NAME_PART_MAX = CLICK_PREFIX_MAX_LENGTH - SUFFIX_LENGTH;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CREATE_ATTEMPTS = 5;

/** A readable, unique-enough tid: up to 10 letters and digits of the name plus a 6-character random suffix. */
export function makeTrackingId(name: string): string {
  const namePart =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, NAME_PART_MAX) || 'cmp';
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return namePart + suffix;
}

/** ClickBank's HopLink: the affiliate's nickname, the vendor's, and the campaign's tid (all lower case). */
function buildHoplink(affiliate: string, vendor: string, trackingId: string): string {
  const url = new URL('https://hop.clickbank.net/');
  url.search = new URLSearchParams({
    affiliate: affiliate.toLowerCase(),
    vendor: vendor.toLowerCase(),
    tid: trackingId,
  }).toString();
  return url.toString();
}

const campaignNotFound = () => new AppError(404, 'campaign_not_found', 'Campaign not found');

export type CreateCampaignInput = { name: string } & ({ productId: string } | { vendor: string });

export function createCampaignService(deps: { db: Knex; config: Pick<Config, 'integrations' | 'links'> }) {
  const { db } = deps;
  const { links } = deps.config;

  /** The API's campaign: the row without the slug, with the primary link's address instead. */
  const present = ({ trackingSlug, ...campaign }: CampaignWithLink) => ({
    ...campaign,
    trackingUrl: trackingSlug ? trackingLinkUrl(links, trackingSlug) : null,
  });

  /** Read back after a write: the primary link is made by a trigger, so the insert's own row lacks it. */
  async function reread(teamId: string, campaignId: string) {
    const campaign = await findCampaign(db, teamId, campaignId);
    if (!campaign) throw campaignNotFound();
    return { campaign: present(campaign) };
  }
  const resolver = createIntegrationResolver({ store: teamIntegrationStore(db), config: deps.config });

  /** The team's ClickBank nickname (sandbox default in sandbox mode); 409 when live and not connected. */
  async function affiliateNickname(teamId: string): Promise<string> {
    try {
      return (await resolver.clickbank(teamId)).affiliateNickname;
    } catch (err) {
      if (isIntegrationError(err) && err.kind === 'not_connected') {
        throw conflict(
          'A HopLink needs your ClickBank affiliate nickname: connect ClickBank in Settings → Integrations first',
          'clickbank_not_connected',
        );
      }
      throw err;
    }
  }

  async function target(input: CreateCampaignInput): Promise<{ productId: string | null; vendor: string }> {
    if ('productId' in input) {
      const product = await findProductVendor(db, { id: input.productId });
      if (!product) {
        throw new AppError(404, 'product_not_found', 'Product not found', [
          { path: 'productId', message: 'No product in the catalog has this id' },
        ]);
      }
      return { productId: product.id, vendor: product.clickbankId.toLowerCase() };
    }
    // A vendor the catalog knows is linked to its product, so the campaign shows its details.
    const product = await findProductVendor(db, { clickbankId: input.vendor });
    return { productId: product?.id ?? null, vendor: input.vendor };
  }

  return {
    async create(m: TeamMembership, userId: string, input: CreateCampaignInput) {
      const { productId, vendor } = await target(input);
      const affiliate = await affiliateNickname(m.teamId);
      for (let attempt = 1; ; attempt++) {
        const trackingId = makeTrackingId(input.name);
        try {
          const inserted = await insertCampaign(db, {
            teamId: m.teamId,
            name: input.name,
            productId,
            vendor,
            trackingId,
            hoplink: buildHoplink(affiliate, vendor, trackingId),
            status: 'active',
            createdBy: userId,
          });
          return await reread(m.teamId, inserted.id);
        } catch (err) {
          // 36^6 suffixes make a clash rare (with a tid, or an older campaign's click prefix); a fresh suffix settles it.
          const clash =
            isUniqueViolation(err, TID_UNIQUE_CONSTRAINT) ||
            isUniqueViolation(err, CLICK_PREFIX_UNIQUE_CONSTRAINT);
          if (!clash || attempt >= CREATE_ATTEMPTS) throw err;
        }
      }
    },

    list: async (m: TeamMembership, status?: CampaignStatus) => ({
      campaigns: (await listCampaigns(db, m.teamId, status)).map(present),
    }),

    get: (m: TeamMembership, campaignId: string) => reread(m.teamId, campaignId),

    async update(m: TeamMembership, campaignId: string, patch: { name?: string; status?: CampaignStatus }) {
      const current = await findCampaign(db, m.teamId, campaignId);
      if (!current) throw campaignNotFound();
      if (current.status === 'archived') {
        throw conflict('An archived campaign cannot be changed', 'campaign_archived');
      }
      const campaign = await updateCampaign(db, m.teamId, campaignId, patch);
      if (!campaign) throw campaignNotFound();
      return reread(m.teamId, campaignId);
    },

    /** Idempotent: archiving an archived campaign answers it unchanged. */
    async archive(m: TeamMembership, campaignId: string) {
      const current = await findCampaign(db, m.teamId, campaignId);
      if (!current) throw campaignNotFound();
      if (current.status === 'archived') return { campaign: present(current) };
      const campaign = await updateCampaign(db, m.teamId, campaignId, { status: 'archived' });
      if (!campaign) throw campaignNotFound();
      return reread(m.teamId, campaignId);
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
