import type { Knex } from 'knex';
import type { Basis, Dimension } from './dimensions';
import { zeroCounts, type RollupCounts } from './rollups';

type Db = Knex | Knex.Transaction;

/** The summed counters of some rollup rows; money in cents so sums stay exact. */
type RollupSums = RollupCounts;

/** What a dashboard shows for a day or a row: the sums and the rates computed from them. */
export interface Figures {
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  gross: number;
  net: number;
  epc: number | null;
  conversionRate: number | null;
  refundRate: number | null;
}

export interface AnalyticsScope {
  teamId: string;
  /** First and last day (YYYY-MM-DD, team time zone), both included. */
  from: string;
  to: string;
  basis: Basis;
  campaignId?: string;
}

interface SeriesFilter extends AnalyticsScope {
  /** Only this tracking link's figures. */
  linkId?: string;
  /** Only the figures with this dimension value ('' = not known). Not together with linkId. */
  dimension?: Dimension;
  value?: string;
}

export type BreakdownBy = 'campaign' | 'product' | Dimension;

interface BreakdownRow extends Figures {
  key: string;
  label: string;
}

/**
 * Rates come from the sums of the range (never an average of daily rates), so a figure over many days is what
 * the raw events say. EPC is net revenue per click by a person; bots are not in the denominator.
 */
export function figuresOf(s: RollupSums): Figures {
  const netCents = s.grossCents - s.refundedCents;
  const sold = s.sales + s.rebills;
  return {
    clicks: s.clicks,
    uniqueClicks: s.uniqueClicks,
    botClicks: s.botClicks,
    sales: s.sales,
    rebills: s.rebills,
    refunds: s.refunds,
    chargebacks: s.chargebacks,
    gross: s.grossCents / 100,
    net: netCents / 100,
    epc: s.clicks > 0 ? netCents / s.clicks / 100 : null,
    conversionRate: s.clicks > 0 ? s.sales / s.clicks : null,
    refundRate: sold > 0 ? (s.refunds + s.chargebacks) / sold : null,
  };
}

const addSums = (a: RollupSums, b: RollupSums): RollupSums => ({
  clicks: a.clicks + b.clicks,
  uniqueClicks: a.uniqueClicks + b.uniqueClicks,
  botClicks: a.botClicks + b.botClicks,
  sales: a.sales + b.sales,
  rebills: a.rebills + b.rebills,
  refunds: a.refunds + b.refunds,
  chargebacks: a.chargebacks + b.chargebacks,
  grossCents: a.grossCents + b.grossCents,
  refundedCents: a.refundedCents + b.refundedCents,
});

// bigint sums come back as strings; money is summed in cents.
const sumColumns = `
  coalesce(sum(r.clicks), 0)::bigint AS clicks,
  coalesce(sum(r.unique_clicks), 0)::bigint AS unique_clicks,
  coalesce(sum(r.bot_clicks), 0)::bigint AS bot_clicks,
  coalesce(sum(r.sales), 0)::bigint AS sales,
  coalesce(sum(r.rebills), 0)::bigint AS rebills,
  coalesce(sum(r.refunds), 0)::bigint AS refunds,
  coalesce(sum(r.chargebacks), 0)::bigint AS chargebacks,
  coalesce(sum(r.gross * 100), 0)::bigint AS gross_cents,
  coalesce(sum(r.refunded * 100), 0)::bigint AS refunded_cents`;

interface SumRow {
  clicks: string;
  unique_clicks: string;
  bot_clicks: string;
  sales: string;
  rebills: string;
  refunds: string;
  chargebacks: string;
  gross_cents: string;
  refunded_cents: string;
}

const sumsOf = (r: SumRow): RollupSums => ({
  clicks: Number(r.clicks),
  uniqueClicks: Number(r.unique_clicks),
  botClicks: Number(r.bot_clicks),
  sales: Number(r.sales),
  rebills: Number(r.rebills),
  refunds: Number(r.refunds),
  chargebacks: Number(r.chargebacks),
  grossCents: Number(r.gross_cents),
  refundedCents: Number(r.refunded_cents),
});

/** Every day from `from` to `to` (YYYY-MM-DD, both included). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** The WHERE of a read over the rollups of one dimension ('all' for the totals). */
function rollupWhere(
  scope: AnalyticsScope,
  dimension: 'all' | Dimension,
): { sql: string; bindings: string[] } {
  const clauses = ['r.team_id = ?', 'r.basis = ?', 'r.dimension = ?', 'r.day >= ?::date', 'r.day <= ?::date'];
  const bindings: string[] = [scope.teamId, scope.basis, dimension, scope.from, scope.to];
  if (scope.campaignId) {
    clauses.push('r.campaign_id = ?');
    bindings.push(scope.campaignId);
  }
  return { sql: clauses.join(' AND '), bindings };
}

/**
 * Daily figures over the range, every day present (zeros where nothing happened), and their totals. Reads the
 * rollups only: a link's figures are its 'link' rows, a dimension value's its dimension rows, else 'all'.
 */
export async function analyticsTimeSeries(
  db: Db,
  f: SeriesFilter,
): Promise<{ totals: Figures; days: (Figures & { day: string })[] }> {
  const dimension = f.linkId ? 'link' : (f.dimension ?? 'all');
  const where = rollupWhere(f, dimension);
  let sql = where.sql;
  const bindings = [...where.bindings];
  if (dimension !== 'all') {
    sql += ' AND r.value = ?';
    bindings.push(f.linkId ?? f.value ?? '');
  }
  const { rows } = await db.raw<{ rows: (SumRow & { day: string })[] }>(
    `SELECT to_char(r.day, 'YYYY-MM-DD') AS day, ${sumColumns}
     FROM analytics_rollups r WHERE ${sql} GROUP BY r.day`,
    bindings,
  );
  const byDay = new Map(rows.map((r) => [r.day, sumsOf(r)]));
  let total = zeroCounts();
  const days = daysBetween(f.from, f.to).map((day) => {
    const sums = byDay.get(day) ?? zeroCounts();
    total = addSums(total, sums);
    return { day, ...figuresOf(sums) };
  });
  return { totals: figuresOf(total), days };
}

/**
 * Figures per campaign, product or dimension value over the range, best net revenue first, then most clicks.
 * Campaigns and products read the 'all' rows (a product is its campaigns' sum); labels are names where the key
 * is an id. Unknown values ('' or no campaign/product) are one row labelled "(none)".
 */
export async function analyticsBreakdown(
  db: Db,
  scope: AnalyticsScope,
  by: BreakdownBy,
  limit: number,
): Promise<BreakdownRow[]> {
  const where = rollupWhere(scope, by === 'campaign' || by === 'product' ? 'all' : by);
  const [keyExpr, labelExpr, joins] =
    by === 'campaign'
      ? ["coalesce(r.campaign_id::text, '')", 'min(c.name)', 'LEFT JOIN campaigns c ON c.id = r.campaign_id']
      : by === 'product'
        ? [
            "coalesce(c.product_id::text, '')",
            'min(p.title)',
            'LEFT JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN products p ON p.id = c.product_id',
          ]
        : by === 'link'
          ? [
              'r.value',
              'min(l.name)',
              // value is '' when the link is not known; only a uuid-shaped value can name a link.
              "LEFT JOIN tracking_links l ON r.value <> '' AND l.id::text = r.value AND l.team_id = r.team_id",
            ]
          : ['r.value', 'NULL::text', ''];
  const { rows } = await db.raw<{ rows: (SumRow & { key: string; label: string | null })[] }>(
    `SELECT ${keyExpr} AS key, ${labelExpr} AS label, ${sumColumns}
     FROM analytics_rollups r ${joins}
     WHERE ${where.sql}
     GROUP BY 1
     ORDER BY sum(r.gross) - sum(r.refunded) DESC, sum(r.clicks) DESC, 1
     LIMIT ?`,
    [...where.bindings, limit],
  );
  return rows.map((r) => ({
    key: r.key,
    label: r.key === '' ? '(none)' : (r.label ?? r.key),
    ...figuresOf(sumsOf(r)),
  }));
}

/** The campaign a tracking link belongs to, when the link is the team's (else undefined: a 404 for the caller). */
export async function findTeamLinkCampaign(
  db: Db,
  teamId: string,
  linkId: string,
): Promise<{ campaignId: string } | undefined> {
  const row = await db('tracking_links')
    .where({ id: linkId, team_id: teamId })
    .first<{ campaign_id: string } | undefined>('campaign_id');
  return row && { campaignId: row.campaign_id };
}
