import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { findUserById } from '../../data/users';
import { startBonusTest } from '../../temporal/starts';
import type { Config } from '../../lib/config';
import { AppError, forbidden, serviceUnavailable } from '../../lib/errors';
import { hashLinkToken, verifyLinkToken } from '../../lib/links';
import {
  deliveryCounts,
  findDeliveryByTokenHash,
  listDeliveries,
  recordDownload,
  type DeliveryFilter,
  type DeliveryRow,
} from '../../data/bonus-deliveries';
import {
  BONUS_RULE_UNIQUE_INDEX,
  deleteBonus,
  deleteBonusRule,
  findBonus,
  foreignCampaignIds,
  insertBonus,
  insertBonusRule,
  listBonuses,
  listBonusRules,
  setBonusCampaigns,
  updateBonus,
  type BonusRow,
} from '../../data/bonuses';
import { findCampaign } from '../../data/campaigns';
import { findMembership } from '../../data/members';
import { isUniqueViolation } from '../../data/pg-errors';
import type { TeamMembership } from '../http/locals';
import { roleAtLeast } from '../../lib/roles';
import { teamNotFound } from '../middleware/team-access';
import { createBonusFiles, type BonusFiles } from './bonus-files';
import { inTransaction } from '../../data/transaction';

export interface UploadedFile {
  tempPath: string;
  originalName: string;
  contentType: string;
  size: number;
}

export interface CreateBonusInput {
  name: string;
  description?: string;
  url?: string;
  file?: UploadedFile;
  campaignIds?: string[];
}

const bonusNotFound = () => new AppError(404, 'bonus_not_found', 'Bonus not found');
const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');
const campaignNotFound = () => new AppError(404, 'campaign_not_found', 'Campaign not found');

export type DeliveryStatus = 'active' | 'revoked' | 'expired';

const deliveryStatus = (d: Pick<DeliveryRow, 'revokedAt' | 'expiresAt'>, now = new Date()): DeliveryStatus =>
  d.revokedAt ? 'revoked' : d.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';

const publicBonus = (b: BonusRow, counts?: { deliveries: number; downloads: number }) => ({
  id: b.id,
  teamId: b.teamId,
  name: b.name,
  description: b.description,
  kind: b.file ? ('file' as const) : ('url' as const),
  url: b.url,
  file: b.file ? { name: b.file.name, contentType: b.file.contentType, size: b.file.size } : null,
  campaignIds: b.campaignIds,
  deliveries: counts?.deliveries ?? 0,
  downloads: counts?.downloads ?? 0,
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});

export function createBonusService(deps: {
  db: Knex;
  config: Pick<Config, 'bonuses'>;
  temporal?: { client: Client } | null;
}) {
  const { db } = deps;
  const files: BonusFiles = createBonusFiles(deps.config);

  async function checkCampaigns(teamId: string, ids: string[] | undefined): Promise<void> {
    const foreign = await foreignCampaignIds(db, teamId, ids ?? []);
    if (foreign.length > 0) {
      throw new AppError(
        404,
        'campaign_not_found',
        'Campaign not found',
        foreign.map((id) => ({
          path: `campaignIds.${(ids ?? []).indexOf(id)}`,
          message: 'No campaign of this team has this id',
        })),
      );
    }
  }

  async function withCounts(teamId: string, bonus: BonusRow) {
    const counts = await deliveryCounts(db, teamId, [bonus.id]);
    return publicBonus(bonus, counts.get(bonus.id));
  }

  /** For routes that name the team outside the path (the POST /bonuses alias): 404 for outsiders, 403 below editor. */
  async function assertMayCreate(teamId: string, userId: string): Promise<void> {
    const membership = await findMembership(db, teamId, userId);
    if (!membership) throw teamNotFound();
    if (!roleAtLeast(membership.role, 'editor')) {
      throw forbidden('This needs the editor role or higher in this team');
    }
  }

  async function create(teamId: string, userId: string, input: CreateBonusInput) {
    try {
      await checkCampaigns(teamId, input.campaignIds);
      const id = randomUUID();
      let filePath: string | undefined;
      if (input.file) filePath = await files.adopt(input.file.tempPath, teamId, id);
      try {
        await inTransaction(db, async (trx) => {
          await insertBonus(trx, {
            id,
            teamId,
            name: input.name,
            description: input.description ?? null,
            url: input.file ? null : (input.url ?? null),
            file:
              input.file && filePath
                ? {
                    path: filePath,
                    name: input.file.originalName,
                    contentType: input.file.contentType,
                    size: input.file.size,
                  }
                : null,
            createdBy: userId,
          });
          await setBonusCampaigns(trx, teamId, id, input.campaignIds ?? []);
        });
      } catch (err) {
        if (filePath) await files.remove(teamId, id);
        throw err;
      }
      const bonus = await findBonus(db, teamId, id);
      if (!bonus) throw bonusNotFound();
      return { bonus: publicBonus(bonus) };
    } finally {
      // Moved into place on success; anything left in the upload folder is ours to clean.
      if (input.file) await files.discard(input.file.tempPath);
    }
  }

  return {
    files,

    create: (m: TeamMembership, userId: string, input: CreateBonusInput) => create(m.teamId, userId, input),

    /** POST /bonuses: the team comes in the body, so the tenancy check happens here (404 for outsiders). */
    assertMayCreate,

    async createForTeam(teamId: string, userId: string, input: CreateBonusInput) {
      await assertMayCreate(teamId, userId);
      return create(teamId, userId, input);
    },

    async list(m: TeamMembership, campaignId?: string) {
      const bonuses = await listBonuses(db, m.teamId, campaignId);
      const counts = await deliveryCounts(
        db,
        m.teamId,
        bonuses.map((b) => b.id),
      );
      return { bonuses: bonuses.map((b) => publicBonus(b, counts.get(b.id))) };
    },

    async get(m: TeamMembership, bonusId: string) {
      const bonus = await findBonus(db, m.teamId, bonusId);
      if (!bonus) throw bonusNotFound();
      return { bonus: await withCounts(m.teamId, bonus) };
    },

    async update(
      m: TeamMembership,
      bonusId: string,
      patch: { name?: string; description?: string | null; url?: string },
    ) {
      const current = await findBonus(db, m.teamId, bonusId);
      if (!current) throw bonusNotFound();
      if (patch.url !== undefined && current.file) {
        throw new AppError(400, 'validation_failed', 'A file bonus has no link to change', [
          { path: 'url', message: 'This bonus is a file: delete it and create a link bonus instead' },
        ]);
      }
      await updateBonus(db, m.teamId, bonusId, patch);
      const bonus = await findBonus(db, m.teamId, bonusId);
      if (!bonus) throw bonusNotFound();
      return { bonus: await withCounts(m.teamId, bonus) };
    },

    /** The buyer's bonus email to the person who asks, as a test, through the worker's tracked send. */
    async sendTest(m: TeamMembership, userId: string, bonusId: string) {
      if (!(await findBonus(db, m.teamId, bonusId))) throw bonusNotFound();
      const user = await findUserById(db, userId);
      if (!user) throw bonusNotFound();
      if (!deps.temporal) throw temporalUnavailable();
      const requestId = randomUUID();
      try {
        const handle = await startBonusTest(deps.temporal.client, {
          teamId: m.teamId,
          bonusId,
          userId,
          requestId,
        });
        return { sentTo: user.email, workflowId: handle.workflowId };
      } catch {
        throw temporalUnavailable();
      }
    },

    /** Deletes the bonus, its deliveries (their links then answer 404) and its stored file. */
    async remove(m: TeamMembership, bonusId: string): Promise<void> {
      const current = await findBonus(db, m.teamId, bonusId);
      if (!current) throw bonusNotFound();
      await deleteBonus(db, m.teamId, bonusId);
      if (current.file) await files.remove(m.teamId, bonusId);
    },

    async setCampaigns(m: TeamMembership, bonusId: string, campaignIds: string[]) {
      const current = await findBonus(db, m.teamId, bonusId);
      if (!current) throw bonusNotFound();
      await checkCampaigns(m.teamId, campaignIds);
      await inTransaction(db, (trx) => setBonusCampaigns(trx, m.teamId, bonusId, campaignIds));
      const bonus = await findBonus(db, m.teamId, bonusId);
      if (!bonus) throw bonusNotFound();
      return { bonus: await withCounts(m.teamId, bonus) };
    },

    async deliveries(m: TeamMembership, filter: DeliveryFilter) {
      if (filter.bonusId && !(await findBonus(db, m.teamId, filter.bonusId))) throw bonusNotFound();
      const rows = await listDeliveries(db, m.teamId, filter);
      const now = new Date();
      return { deliveries: rows.map((d) => ({ ...d, status: deliveryStatus(d, now) })) };
    },

    async listRules(m: TeamMembership, campaignId: string) {
      if (!(await findCampaign(db, m.teamId, campaignId))) throw campaignNotFound();
      const rules = await listBonusRules(db, m.teamId, campaignId);
      return { rules: rules.map(({ teamId: _teamId, ...rule }) => rule) };
    },

    async addRule(m: TeamMembership, campaignId: string, rule: { vendor: string; itemNo?: string }) {
      if (!(await findCampaign(db, m.teamId, campaignId))) throw campaignNotFound();
      try {
        const { teamId: _teamId, ...row } = await insertBonusRule(db, {
          teamId: m.teamId,
          campaignId,
          vendor: rule.vendor,
          itemNo: rule.itemNo ?? null,
        });
        return { rule: row };
      } catch (err) {
        if (!isUniqueViolation(err, BONUS_RULE_UNIQUE_INDEX)) throw err;
        throw new AppError(
          409,
          'bonus_rule_exists',
          'A campaign of this team already has a rule for this vendor and item',
          [{ path: rule.itemNo ? 'itemNo' : 'vendor', message: 'Already mapped to a campaign' }],
        );
      }
    },

    async removeRule(m: TeamMembership, campaignId: string, ruleId: string): Promise<void> {
      if (!(await deleteBonusRule(db, m.teamId, campaignId, ruleId))) {
        throw new AppError(404, 'bonus_rule_not_found', 'Bonus rule not found');
      }
    },
  };
}

export type BonusService = ReturnType<typeof createBonusService>;

export type DownloadVerdict =
  | { kind: 'not_found' }
  | { kind: 'revoked' }
  | { kind: 'expired' }
  | { kind: 'redirect'; url: string }
  | { kind: 'file'; path: string; name: string; contentType: string };

/** GET /b/{token}: what a bonus link answers. */
export function createBonusDownloads(deps: { db: Knex; config: Pick<Config, 'links' | 'bonuses'> }) {
  const { db, config } = deps;
  return {
    files: createBonusFiles(config),

    /** `count: false` (HEAD requests, link checkers) answers the same without counting a download. */
    async resolve(token: string, opts: { count?: boolean; now?: Date } = {}): Promise<DownloadVerdict> {
      const now = opts.now ?? new Date();
      const verdict = verifyLinkToken(config.links.secret, 'bonus', token, now);
      if (!verdict.ok && verdict.reason !== 'expired') return { kind: 'not_found' };
      const delivery = await findDeliveryByTokenHash(db, hashLinkToken(token));
      if (!delivery || (verdict.ok && verdict.claims.id !== delivery.id)) return { kind: 'not_found' };
      // A refunded buyer learns why, even once the link would have expired anyway.
      if (delivery.revokedAt) return { kind: 'revoked' };
      if (!verdict.ok || delivery.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
      if (opts.count !== false && !(await recordDownload(db, delivery.id))) {
        // Revoked or expired between the read and the count.
        const again = await findDeliveryByTokenHash(db, hashLinkToken(token));
        return again?.revokedAt ? { kind: 'revoked' } : { kind: 'expired' };
      }
      if (delivery.filePath) {
        return {
          kind: 'file',
          path: delivery.filePath,
          name: delivery.fileName ?? 'bonus',
          contentType: delivery.contentType ?? 'application/octet-stream',
        };
      }
      return delivery.url ? { kind: 'redirect', url: delivery.url } : { kind: 'not_found' };
    },
  };
}
