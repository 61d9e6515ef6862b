import type { Knex } from 'knex';
import type { Model, QueryBuilder } from 'objection';
import { Bonus } from '../db/models/bonus';

type Db = Knex | Knex.Transaction;

export interface BonusFile {
  /** Relative to config.bonuses.filesDir. */
  path: string;
  name: string;
  contentType: string;
  size: number;
}

export interface BonusRow {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  url: string | null;
  file: BonusFile | null;
  campaignIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Bonuses are read with their campaigns by an objection graph fetch (the bonuses, then one query for all their
 * campaign links). This modifier keeps only the campaign ids, in the order they were linked. Modifiers build
 * the query in place (their return value is ignored).
 */
const linkOrder = (q: QueryBuilder<Model>): void => {
  void q.select('campaigns.id').orderBy([
    { column: 'campaign_bonuses.created_at', order: 'asc' },
    { column: 'campaigns.id', order: 'asc' },
  ]);
};

const toRow = (b: Bonus): BonusRow => ({
  id: b.id,
  teamId: b.team_id,
  name: b.name,
  description: b.description,
  url: b.url,
  file: b.file_path
    ? {
        path: b.file_path,
        name: b.file_name ?? 'bonus',
        contentType: b.content_type ?? 'application/octet-stream',
        size: Number(b.file_size ?? 0),
      }
    : null,
  campaignIds: (b.campaigns ?? []).map((c) => c.id),
  createdAt: b.created_at,
  updatedAt: b.updated_at,
});

export async function insertBonus(
  db: Db,
  b: {
    id?: string;
    teamId: string;
    name: string;
    description: string | null;
    url: string | null;
    file: BonusFile | null;
    createdBy: string | null;
  },
): Promise<string> {
  const rows = await db('bonuses')
    .insert({
      ...(b.id ? { id: b.id } : {}),
      team_id: b.teamId,
      name: b.name,
      description: b.description,
      url: b.url,
      file_path: b.file?.path ?? null,
      file_name: b.file?.name ?? null,
      content_type: b.file?.contentType ?? null,
      file_size: b.file?.size ?? null,
      created_by: b.createdBy,
    })
    .returning<{ id: string }[]>('id');
  const row = rows[0];
  if (!row) throw new Error('bonus insert returned no row');
  return row.id;
}

/** Team-scoped: another team's bonus id is not found. */
export async function findBonus(db: Db, teamId: string, bonusId: string): Promise<BonusRow | undefined> {
  const bonus = await Bonus.query(db)
    .findOne({ team_id: teamId, id: bonusId })
    .withGraphFetched('campaigns(linkOrder)')
    .modifiers({ linkOrder });
  return bonus ? toRow(bonus) : undefined;
}

/** The team's bonuses, newest first; with a campaign, only the bonuses it offers. */
export async function listBonuses(db: Db, teamId: string, campaignId?: string): Promise<BonusRow[]> {
  const query = Bonus.query(db).where('bonuses.team_id', teamId);
  if (campaignId) {
    query.whereExists(Bonus.relatedQuery('campaigns').where('campaigns.id', campaignId));
  }
  const bonuses = await query
    .orderBy([
      { column: 'bonuses.created_at', order: 'desc' },
      { column: 'bonuses.id', order: 'desc' },
    ])
    .withGraphFetched('campaigns(linkOrder)')
    .modifiers({ linkOrder });
  return bonuses.map(toRow);
}

export async function updateBonus(
  db: Db,
  teamId: string,
  bonusId: string,
  patch: { name?: string; description?: string | null; url?: string },
): Promise<boolean> {
  const changes: Record<string, unknown> = { updated_at: db.fn.now() };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.url !== undefined) changes.url = patch.url;
  const n = await db('bonuses').where({ team_id: teamId, id: bonusId }).update(changes);
  return n > 0;
}

export async function deleteBonus(db: Db, teamId: string, bonusId: string): Promise<boolean> {
  const n = await db('bonuses').where({ team_id: teamId, id: bonusId }).delete();
  return n > 0;
}

/** The ids among `campaignIds` that are not campaigns of this team. */
export async function foreignCampaignIds(db: Db, teamId: string, campaignIds: string[]): Promise<string[]> {
  if (campaignIds.length === 0) return [];
  const found = await db('campaigns')
    .where({ team_id: teamId })
    .whereIn('id', campaignIds)
    .pluck<string[]>('id');
  return campaignIds.filter((id) => !found.includes(id));
}

/** Replaces the campaigns that offer a bonus with exactly `campaignIds` (all of the bonus's team). */
export async function setBonusCampaigns(
  db: Db,
  teamId: string,
  bonusId: string,
  campaignIds: string[],
): Promise<void> {
  await db('campaign_bonuses').where({ team_id: teamId, bonus_id: bonusId }).delete();
  if (campaignIds.length === 0) return;
  await db('campaign_bonuses')
    .insert(
      [...new Set(campaignIds)].map((campaignId) => ({
        team_id: teamId,
        bonus_id: bonusId,
        campaign_id: campaignId,
      })),
    )
    .onConflict(['campaign_id', 'bonus_id'])
    .ignore();
}

/** The bonuses a campaign offers, oldest attachment first (the order the buyer's email lists them in). */
export async function bonusesOfCampaign(db: Db, teamId: string, campaignId: string): Promise<BonusRow[]> {
  const bonuses = await Bonus.query(db)
    .join('campaign_bonuses as link', 'link.bonus_id', 'bonuses.id')
    .where({ 'link.team_id': teamId, 'link.campaign_id': campaignId })
    .orderBy([
      { column: 'link.created_at', order: 'asc' },
      { column: 'bonuses.name', order: 'asc' },
    ])
    .select('bonuses.*')
    .withGraphFetched('campaigns(linkOrder)')
    .modifiers({ linkOrder });
  return bonuses.map(toRow);
}

// --- Vendor rules: which campaign a sale without a known tid belongs to -----------------------------------

export interface BonusRuleRow {
  id: string;
  teamId: string;
  campaignId: string;
  vendor: string;
  itemNo: string | null;
  createdAt: Date;
}

const ruleColumns = [
  'id',
  'team_id as teamId',
  'campaign_id as campaignId',
  'vendor',
  'item_no as itemNo',
  'created_at as createdAt',
];

export const BONUS_RULE_UNIQUE_INDEX = 'campaign_bonus_rules_team_vendor_item_unique';

export async function insertBonusRule(
  db: Db,
  r: { teamId: string; campaignId: string; vendor: string; itemNo: string | null },
): Promise<BonusRuleRow> {
  const rows = await db('campaign_bonus_rules')
    .insert({ team_id: r.teamId, campaign_id: r.campaignId, vendor: r.vendor, item_no: r.itemNo })
    .returning<BonusRuleRow[]>(ruleColumns);
  const row = rows[0];
  if (!row) throw new Error('bonus rule insert returned no row');
  return row;
}

export function listBonusRules(db: Db, teamId: string, campaignId: string): Promise<BonusRuleRow[]> {
  return db('campaign_bonus_rules')
    .where({ team_id: teamId, campaign_id: campaignId })
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .select<BonusRuleRow[]>(ruleColumns);
}

export async function deleteBonusRule(
  db: Db,
  teamId: string,
  campaignId: string,
  ruleId: string,
): Promise<boolean> {
  const n = await db('campaign_bonus_rules')
    .where({ team_id: teamId, campaign_id: campaignId, id: ruleId })
    .delete();
  return n > 0;
}

/** The campaign a vendor's sale belongs to: a rule for the exact item wins over a vendor-wide rule. */
export async function campaignForVendor(
  db: Db,
  teamId: string,
  vendor: string,
  itemNo: string,
): Promise<string | undefined> {
  const row = await db('campaign_bonus_rules')
    .where({ team_id: teamId, vendor: vendor.toLowerCase() })
    .andWhere((q) => q.where('item_no', itemNo).orWhereNull('item_no'))
    .orderByRaw('item_no IS NULL')
    .first<{ campaignId: string } | undefined>('campaign_id as campaignId');
  return row?.campaignId;
}
