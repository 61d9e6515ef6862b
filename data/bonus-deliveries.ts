import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type RevocationReason = 'refund' | 'chargeback';

/**
 * Serialises everything that decides a receipt's fate (delivering its bonuses, revoking them) inside the
 * caller's transaction, so a refund racing its own sale cannot slip between the check and the insert.
 */
export async function lockReceipt(trx: Knex.Transaction, teamId: string, receipt: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
    `bonus-receipt:${teamId}:${receipt}`,
  ]);
}

export interface RevocationRow {
  teamId: string;
  receipt: string;
  reason: RevocationReason;
  transactionType: string;
  createdAt: Date;
}

export function findRevocation(db: Db, teamId: string, receipt: string): Promise<RevocationRow | undefined> {
  return db('clickbank_revocations')
    .where({ team_id: teamId, receipt })
    .first<RevocationRow | undefined>(
      'team_id as teamId',
      'receipt',
      'reason',
      'transaction_type as transactionType',
      'created_at as createdAt',
    );
}

/** Idempotent: the first refund or chargeback of a receipt is kept; returns whether this call added it. */
export async function insertRevocation(
  db: Db,
  r: {
    teamId: string;
    receipt: string;
    reason: RevocationReason;
    transactionType: string;
    webhookEventId: string;
  },
): Promise<boolean> {
  const rows = await db('clickbank_revocations')
    .insert({
      team_id: r.teamId,
      receipt: r.receipt,
      reason: r.reason,
      transaction_type: r.transactionType,
      webhook_event_id: r.webhookEventId,
    })
    .onConflict(['team_id', 'receipt'])
    .ignore()
    .returning<{ receipt: string }[]>('receipt');
  return rows.length > 0;
}

export interface BonusOrderRow {
  teamId: string;
  receipt: string;
  itemNo: string;
  status: 'delivered' | 'blocked';
  reason: string | null;
  campaignId: string | null;
  buyerEmail: string;
  contactId: string | null;
  transactionType: string;
  createdAt: Date;
}

const orderColumns = [
  'team_id as teamId',
  'receipt',
  'item_no as itemNo',
  'status',
  'reason',
  'campaign_id as campaignId',
  'buyer_email as buyerEmail',
  'contact_id as contactId',
  'transaction_type as transactionType',
  'created_at as createdAt',
];

/** Records what happened to a sale line once; a retry finds the first outcome and keeps it. */
export async function recordBonusOrder(
  db: Db,
  o: Omit<BonusOrderRow, 'createdAt' | 'teamId'> & { teamId: string },
): Promise<BonusOrderRow> {
  await db('bonus_orders')
    .insert({
      team_id: o.teamId,
      receipt: o.receipt,
      item_no: o.itemNo,
      status: o.status,
      reason: o.reason,
      campaign_id: o.campaignId,
      buyer_email: o.buyerEmail,
      contact_id: o.contactId,
      transaction_type: o.transactionType,
    })
    .onConflict(['team_id', 'receipt', 'item_no'])
    .ignore();
  const row = await findBonusOrder(db, o.teamId, o.receipt, o.itemNo);
  if (!row) throw new Error('bonus order vanished after insert');
  return row;
}

export function findBonusOrder(
  db: Db,
  teamId: string,
  receipt: string,
  itemNo: string,
): Promise<BonusOrderRow | undefined> {
  return db('bonus_orders')
    .where({ team_id: teamId, receipt, item_no: itemNo })
    .first<BonusOrderRow | undefined>(orderColumns);
}

/** The contacts a receipt's deliveries were made to (the buyer whose sequences a refund stops). */
export async function contactsOfReceipt(db: Db, teamId: string, receipt: string): Promise<string[]> {
  const rows = await db('bonus_orders')
    .where({ team_id: teamId, receipt })
    .whereNotNull('contact_id')
    .distinct<{ contactId: string }[]>('contact_id as contactId');
  return rows.map((r) => r.contactId);
}

export interface DeliveryRow {
  id: string;
  teamId: string;
  bonusId: string;
  bonusName: string;
  campaignId: string | null;
  contactId: string | null;
  receipt: string;
  itemNo: string;
  buyerEmail: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  downloadCount: number;
  lastDownloadedAt: Date | null;
  createdAt: Date;
}

const deliveryColumns = [
  'd.id',
  'd.team_id as teamId',
  'd.bonus_id as bonusId',
  'b.name as bonusName',
  'd.campaign_id as campaignId',
  'd.contact_id as contactId',
  'd.receipt',
  'd.item_no as itemNo',
  'd.buyer_email as buyerEmail',
  'd.expires_at as expiresAt',
  'd.revoked_at as revokedAt',
  'd.revoked_reason as revokedReason',
  'd.download_count as downloadCount',
  'd.last_downloaded_at as lastDownloadedAt',
  'd.created_at as createdAt',
];

/** One delivery per (receipt, item, bonus): rows already there are kept as they are. */
export async function insertDeliveries(
  db: Db,
  rows: {
    id: string;
    teamId: string;
    bonusId: string;
    campaignId: string;
    contactId: string | null;
    receipt: string;
    itemNo: string;
    buyerEmail: string;
    tokenHash: string;
    expiresAt: Date;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db('bonus_deliveries')
    .insert(
      rows.map((r) => ({
        id: r.id,
        team_id: r.teamId,
        bonus_id: r.bonusId,
        campaign_id: r.campaignId,
        contact_id: r.contactId,
        receipt: r.receipt,
        item_no: r.itemNo,
        buyer_email: r.buyerEmail,
        token_hash: r.tokenHash,
        expires_at: r.expiresAt,
      })),
    )
    .onConflict(['receipt', 'item_no', 'bonus_id'])
    .ignore();
}

/** The deliveries of one sale line with their bonuses, in the order the email lists them. */
export function deliveriesOfLine(
  db: Db,
  teamId: string,
  receipt: string,
  itemNo: string,
): Promise<(DeliveryRow & { bonusDescription: string | null })[]> {
  return db('bonus_deliveries as d')
    .join('bonuses as b', 'b.id', 'd.bonus_id')
    .where({ 'd.team_id': teamId, 'd.receipt': receipt, 'd.item_no': itemNo })
    .orderBy([
      { column: 'd.created_at', order: 'asc' },
      { column: 'b.name', order: 'asc' },
    ])
    .select<(DeliveryRow & { bonusDescription: string | null })[]>([
      ...deliveryColumns,
      'b.description as bonusDescription',
    ]);
}

/** Marks every still-valid delivery of the receipt revoked; returns how many this call revoked. */
export async function revokeDeliveries(
  db: Db,
  teamId: string,
  receipt: string,
  reason: RevocationReason,
): Promise<number> {
  return db('bonus_deliveries')
    .where({ team_id: teamId, receipt })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now(), revoked_reason: reason });
}

export interface DeliveryForDownload {
  id: string;
  teamId: string;
  bonusId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  url: string | null;
  filePath: string | null;
  fileName: string | null;
  contentType: string | null;
}

export function findDeliveryByTokenHash(db: Db, tokenHash: string): Promise<DeliveryForDownload | undefined> {
  return db('bonus_deliveries as d')
    .join('bonuses as b', 'b.id', 'd.bonus_id')
    .where('d.token_hash', tokenHash)
    .first<DeliveryForDownload | undefined>(
      'd.id',
      'd.team_id as teamId',
      'd.bonus_id as bonusId',
      'd.expires_at as expiresAt',
      'd.revoked_at as revokedAt',
      'b.url',
      'b.file_path as filePath',
      'b.file_name as fileName',
      'b.content_type as contentType',
    );
}

/** Counts a download, unless the delivery was revoked or expired meanwhile (false then). */
export async function recordDownload(db: Db, deliveryId: string): Promise<boolean> {
  const n = await db('bonus_deliveries')
    .where({ id: deliveryId })
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', db.fn.now())
    .update({ download_count: db.raw('download_count + 1'), last_downloaded_at: db.fn.now() });
  return n > 0;
}

export interface DeliveryFilter {
  bonusId?: string;
  receipt?: string;
  email?: string;
  limit: number;
}

export function listDeliveries(db: Db, teamId: string, f: DeliveryFilter): Promise<DeliveryRow[]> {
  const query = db('bonus_deliveries as d')
    .join('bonuses as b', 'b.id', 'd.bonus_id')
    .where('d.team_id', teamId);
  if (f.bonusId) query.andWhere('d.bonus_id', f.bonusId);
  if (f.receipt) query.andWhere('d.receipt', f.receipt);
  if (f.email) query.andWhereRaw('lower(d.buyer_email) = lower(?)', [f.email]);
  return query
    .orderBy([
      { column: 'd.created_at', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ])
    .limit(f.limit)
    .select<DeliveryRow[]>(deliveryColumns);
}

/** Deliveries and downloads per bonus, for the bonus list. */
export async function deliveryCounts(
  db: Db,
  teamId: string,
  bonusIds: string[],
): Promise<Map<string, { deliveries: number; downloads: number }>> {
  const counts = new Map<string, { deliveries: number; downloads: number }>();
  if (bonusIds.length === 0) return counts;
  const rows = await db('bonus_deliveries')
    .where({ team_id: teamId })
    .whereIn('bonus_id', bonusIds)
    .groupBy('bonus_id')
    .select<{ bonusId: string; deliveries: string; downloads: string }[]>(
      'bonus_id as bonusId',
      db.raw('count(*) as deliveries'),
      db.raw('coalesce(sum(download_count), 0) as downloads'),
    );
  for (const r of rows)
    counts.set(r.bonusId, { deliveries: Number(r.deliveries), downloads: Number(r.downloads) });
  return counts;
}

/** The campaign whose bonuses a receipt's sale delivered, if any (a revocation run carries it for ops). */
export async function campaignOfReceipt(db: Db, teamId: string, receipt: string): Promise<string | null> {
  const order = await db('bonus_orders')
    .where({ team_id: teamId, receipt })
    .whereNotNull('campaign_id')
    .first<{ campaignId: string } | undefined>('campaign_id as campaignId');
  return order?.campaignId ?? null;
}

/** How many deliveries of the receipt are revoked. */
export async function countRevokedDeliveries(db: Db, teamId: string, receipt: string): Promise<number> {
  const counted = await db('bonus_deliveries')
    .where({ team_id: teamId, receipt })
    .whereNotNull('revoked_at')
    .count<{ n: string }[]>({ n: '*' });
  return Number(counted[0]?.n ?? 0);
}

/** The bonuses delivered for a receipt by name, with the buyer's address. */
export function bonusNamesOfReceipt(
  db: Db,
  teamId: string,
  receipt: string,
): Promise<{ name: string; buyerEmail: string }[]> {
  return db('bonus_deliveries as d')
    .join('bonuses as b', 'b.id', 'd.bonus_id')
    .where({ 'd.team_id': teamId, 'd.receipt': receipt })
    .orderBy('b.name')
    .select<{ name: string; buyerEmail: string }[]>('b.name', 'd.buyer_email as buyerEmail');
}
