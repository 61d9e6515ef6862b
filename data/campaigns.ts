import type { Knex } from 'knex';
import type { CampaignStatus } from '../db/models/campaign';
import { attributeTid } from './analytics';

export { campaignStatuses, type CampaignStatus } from '../db/models/campaign';

type Db = Knex | Knex.Transaction;

export interface CampaignRow {
  id: string;
  teamId: string;
  name: string;
  productId: string | null;
  vendor: string | null;
  trackingId: string;
  hoplink: string;
  status: CampaignStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** A campaign as read back (not as written): with the slug of its primary tracking link. */
export interface CampaignWithLink extends CampaignRow {
  /** null only for a campaign without a primary link (the insert trigger and the migration give every one). */
  trackingSlug: string | null;
}

const columns = [
  'id',
  'team_id as teamId',
  'name',
  'product_id as productId',
  'vendor',
  'tid as trackingId',
  'hoplink',
  'status',
  'created_at as createdAt',
  'updated_at as updatedAt',
];

const readColumns = (db: Db) => [
  ...columns.map((c) => `campaigns.${c}`),
  db.raw(
    '(SELECT l.slug FROM tracking_links l WHERE l.campaign_id = campaigns.id AND l.is_primary) AS "trackingSlug"',
  ),
];

export const TID_UNIQUE_CONSTRAINT = 'campaigns_team_id_tid_unique';
/** A new tid is also its campaign's click prefix, unique per team (older campaigns' prefixes were derived). */
export const CLICK_PREFIX_UNIQUE_CONSTRAINT = 'campaigns_team_id_click_prefix_unique';

export async function insertCampaign(
  db: Db,
  c: {
    teamId: string;
    name: string;
    productId: string | null;
    vendor: string;
    trackingId: string;
    hoplink: string;
    status: CampaignStatus;
    createdBy: string;
  },
): Promise<CampaignRow> {
  const rows = await db('campaigns')
    .insert({
      team_id: c.teamId,
      name: c.name,
      product_id: c.productId,
      vendor: c.vendor,
      tid: c.trackingId,
      hoplink: c.hoplink,
      status: c.status,
      created_by: c.createdBy,
    })
    .returning<CampaignRow[]>(columns);
  const row = rows[0];
  if (!row) throw new Error('campaign insert returned no row');
  return row;
}

/** Team-scoped: another team's campaign id is not found. */
export function findCampaign(
  db: Db,
  teamId: string,
  campaignId: string,
): Promise<CampaignWithLink | undefined> {
  return db('campaigns')
    .where({ 'campaigns.team_id': teamId, 'campaigns.id': campaignId })
    .first<CampaignWithLink | undefined>(readColumns(db));
}

export function listCampaigns(db: Db, teamId: string, status?: CampaignStatus): Promise<CampaignWithLink[]> {
  const query = db('campaigns').where({ 'campaigns.team_id': teamId });
  if (status) query.andWhere({ 'campaigns.status': status });
  return query
    .orderBy([
      { column: 'campaigns.created_at', order: 'desc' },
      { column: 'campaigns.id', order: 'desc' },
    ])
    .select<CampaignWithLink[]>(readColumns(db));
}

export async function updateCampaign(
  db: Db,
  teamId: string,
  campaignId: string,
  patch: { name?: string; status?: CampaignStatus },
): Promise<CampaignRow | undefined> {
  const rows = await db('campaigns')
    .where({ team_id: teamId, id: campaignId })
    .update({ ...patch, updated_at: db.fn.now() })
    .returning<CampaignRow[]>(columns);
  return rows[0];
}

/** The catalog row a campaign is made for (products are shared by all teams). */
export function findProductVendor(
  db: Db,
  where: { id: string } | { clickbankId: string },
): Promise<{ id: string; clickbankId: string } | undefined> {
  const query = db('products');
  if ('id' in where) query.where({ id: where.id });
  // Feed ids may be upper case; both spellings still use the unique index.
  else query.whereIn('clickbank_id', [where.clickbankId, where.clickbankId.toUpperCase()]);
  return query.first<{ id: string; clickbankId: string } | undefined>(['id', 'clickbank_id as clickbankId']);
}

/**
 * The team's campaign for a ClickBank tracking code (tid), as ClickBank sends it back (any case, stray blanks):
 * a campaign's own tid, or a tracked click's tid (click prefix + click id). The same answer analytics gives, so a
 * sale's bonuses and automations follow the campaign its revenue is counted under.
 */
export async function campaignForTid(db: Db, teamId: string, tid: string): Promise<string | undefined> {
  return (await attributeTid(db, teamId, tid)).campaignId ?? undefined;
}
