import type { Knex } from 'knex';
import { BASES, DIMENSIONS, dimensionValue, type Basis, type ClickDimensions } from './dimensions';

type Db = Knex | Knex.Transaction;

/** What one or more events add to one rollup row. */
export interface RollupDelta {
  teamId: string;
  campaignId: string | null;
  basis: Basis;
  day: string;
  /** 'all' or a Dimension. */
  dimension: string;
  value: string;
  clicks: number;
  uniqueClicks: number;
  botClicks: number;
  sales: number;
  rebills: number;
  refunds: number;
  chargebacks: number;
  /** Cents, so sums stay exact until they reach the numeric column. */
  grossCents: number;
  refundedCents: number;
}

/** The counters of a rollup row (money in cents). */
export type RollupCounts = Omit<
  RollupDelta,
  'teamId' | 'campaignId' | 'basis' | 'day' | 'dimension' | 'value'
>;
type Counts = RollupCounts;

export const zeroCounts = (): Counts => ({
  clicks: 0,
  uniqueClicks: 0,
  botClicks: 0,
  sales: 0,
  rebills: 0,
  refunds: 0,
  chargebacks: 0,
  grossCents: 0,
  refundedCents: 0,
});

/**
 * Sums the contributions of many events by rollup row, so a batch writes each row once. Every event counts in
 * 'all' and in every dimension (an unknown value under ''), so a breakdown always adds up to the total.
 */
export class RollupAccumulator {
  private readonly byKey = new Map<string, RollupDelta>();

  add(
    key: { teamId: string; campaignId: string | null; days: Record<Basis, string> },
    dims: ClickDimensions,
    counts: Partial<Counts>,
  ): void {
    for (const basis of BASES) {
      const day = key.days[basis];
      this.addRow(key.teamId, key.campaignId, basis, day, 'all', '', counts);
      for (const dimension of DIMENSIONS) {
        this.addRow(
          key.teamId,
          key.campaignId,
          basis,
          day,
          dimension,
          dimensionValue(dims, dimension),
          counts,
        );
      }
    }
  }

  private addRow(
    teamId: string,
    campaignId: string | null,
    basis: Basis,
    day: string,
    dimension: string,
    value: string,
    counts: Partial<Counts>,
  ): void {
    const k = `${teamId}|${campaignId ?? ''}|${basis}|${day}|${dimension}|${value}`;
    let row = this.byKey.get(k);
    if (!row) {
      row = { teamId, campaignId, basis, day, dimension, value, ...zeroCounts() };
      this.byKey.set(k, row);
    }
    for (const [name, n] of Object.entries(counts) as [keyof Counts, number][]) row[name] += n;
  }

  rows(): RollupDelta[] {
    return [...this.byKey.values()];
  }
}

/**
 * Adds the deltas to analytics_rollups (insert or increment), in the caller's transaction. Rows are written in
 * key order (as the clicks statement writes them), so concurrent writers take their locks in one order.
 */
export async function applyRollupDeltas(db: Db, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const rows = deltas.map((d) => ({
    team_id: d.teamId,
    campaign_id: d.campaignId,
    basis: d.basis,
    day: d.day,
    dimension: d.dimension,
    value: d.value,
    clicks: d.clicks,
    unique_clicks: d.uniqueClicks,
    bot_clicks: d.botClicks,
    sales: d.sales,
    rebills: d.rebills,
    refunds: d.refunds,
    chargebacks: d.chargebacks,
    gross: d.grossCents,
    refunded: d.refundedCents,
  }));
  await db.raw(
    `INSERT INTO analytics_rollups AS r (team_id, campaign_id, basis, day, dimension, value, clicks, unique_clicks,
                                          bot_clicks, sales, rebills, refunds, chargebacks, gross, refunded)
     SELECT team_id, campaign_id, basis, day, dimension, value, clicks, unique_clicks, bot_clicks, sales, rebills,
            refunds, chargebacks, gross / 100.0, refunded / 100.0
     FROM jsonb_to_recordset(?::jsonb) AS x(team_id uuid, campaign_id uuid, basis text, day date,
            dimension text, value text, clicks int, unique_clicks int, bot_clicks int, sales int, rebills int,
            refunds int, chargebacks int, gross bigint, refunded bigint)
     ORDER BY team_id, campaign_id, basis, day, dimension, value
     ON CONFLICT ON CONSTRAINT analytics_rollups_key_unique DO UPDATE SET
       clicks = r.clicks + excluded.clicks,
       unique_clicks = r.unique_clicks + excluded.unique_clicks,
       bot_clicks = r.bot_clicks + excluded.bot_clicks,
       sales = r.sales + excluded.sales,
       rebills = r.rebills + excluded.rebills,
       refunds = r.refunds + excluded.refunds,
       chargebacks = r.chargebacks + excluded.chargebacks,
       gross = r.gross + excluded.gross,
       refunded = r.refunded + excluded.refunded,
       updated_at = now()`,
    [JSON.stringify(rows)],
  );
}
