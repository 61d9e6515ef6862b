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
  TID_UNIQUE_CONSTRAINT,
  updateCampaign,
  type CampaignRow,
} from '../../data/campaigns';
import { teamIntegrationStore } from '../../data/integrations';
import { isUniqueViolation } from '../../data/pg-errors';
import type { TeamMembership } from '../http/locals';
import type { CampaignStatus } from '../schemas/campaigns';

/** ClickBank limits a tid to 24 characters; we keep the URL- and log-safe alphabet the table enforces. */
const TRACKING_ID_MAX = 24;
const SUFFIX_LENGTH = 6;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CREATE_ATTEMPTS = 5;

/** A readable, unique-enough tid: the name's slug (a–z, 0–9, _) plus `_` and a random suffix. */
export function makeTrackingId(name: string): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, TRACKING_ID_MAX - SUFFIX_LENGTH - 1)
      .replace(/_+$/, '') || 'cmp';
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return `${slug}_${suffix}`;
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

export function createCampaignService(deps: { db: Knex; config: Pick<Config, 'integrations'> }) {
  const { db } = deps;
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
          const campaign = await insertCampaign(db, {
            teamId: m.teamId,
            name: input.name,
            productId,
            vendor,
            trackingId,
            hoplink: buildHoplink(affiliate, vendor, trackingId),
            status: 'active',
            createdBy: userId,
          });
          return { campaign };
        } catch (err) {
          // 36^6 suffixes make a clash rare; a fresh suffix settles it.
          if (!isUniqueViolation(err, TID_UNIQUE_CONSTRAINT) || attempt >= CREATE_ATTEMPTS) throw err;
        }
      }
    },

    list: async (m: TeamMembership, status?: CampaignStatus) => ({
      campaigns: await listCampaigns(db, m.teamId, status),
    }),

    async get(m: TeamMembership, campaignId: string): Promise<{ campaign: CampaignRow }> {
      const campaign = await findCampaign(db, m.teamId, campaignId);
      if (!campaign) throw campaignNotFound();
      return { campaign };
    },

    async update(m: TeamMembership, campaignId: string, patch: { name?: string; status?: CampaignStatus }) {
      const current = await findCampaign(db, m.teamId, campaignId);
      if (!current) throw campaignNotFound();
      if (current.status === 'archived') {
        throw conflict('An archived campaign cannot be changed', 'campaign_archived');
      }
      const campaign = await updateCampaign(db, m.teamId, campaignId, patch);
      if (!campaign) throw campaignNotFound();
      return { campaign };
    },

    /** Idempotent: archiving an archived campaign answers it unchanged. */
    async archive(m: TeamMembership, campaignId: string) {
      const current = await findCampaign(db, m.teamId, campaignId);
      if (!current) throw campaignNotFound();
      if (current.status === 'archived') return { campaign: current };
      const campaign = await updateCampaign(db, m.teamId, campaignId, { status: 'archived' });
      if (!campaign) throw campaignNotFound();
      return { campaign };
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
