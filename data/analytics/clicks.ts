import type { Knex } from 'knex';
import type { ClickDimensions } from './dimensions';

/** One click on a tracking link, as the redirect records it. */
export interface ClickRecord extends ClickDimensions {
  teamId: string;
  campaignId: string;
  linkId: string;
  /** The 8-character id sent to ClickBank inside the tid; null when no id could be leased. */
  clickId: string | null;
  occurredAt: Date;
  /** The click's calendar day in the team's time zone (YYYY-MM-DD). */
  day: string;
  /** HMAC of the day's salt with the address and user agent; no address is stored. */
  visitorKey: string | null;
  /** Why the click is not counted as one (HEAD request, a known bot or link previewer); null for a person. */
  botReason: string | null;
}

/**
 * Writes a batch of clicks and their rollups in one transaction: the raw events (one multi-row insert), which of
 * them are a visitor's first click on the campaign that day (unique clicks), and the rollup increments. Either
 * all of it is written or none, so a retried batch never counts twice and rollups always match the raw events.
 */
export async function writeClicks(
  db: Knex,
  clicks: readonly ClickRecord[],
): Promise<{ written: number; unique: number }> {
  if (clicks.length === 0) return { written: 0, unique: 0 };
  return db.transaction(async (trx) => {
    const unique = await firstVisits(trx, clicks);
    const rows = clicks.map((c, i) => ({
      team_id: c.teamId,
      campaign_id: c.campaignId,
      occurred_at: c.occurredAt.toISOString(),
      day: c.day,
      link_id: c.linkId,
      click_id: c.clickId,
      source: c.source,
      sub1: c.sub1,
      sub2: c.sub2,
      sub3: c.sub3,
      referrer_host: c.referrerHost,
      device: c.device,
      browser: c.browser,
      country: c.country,
      visitor_key: c.visitorKey,
      is_unique: unique.has(i),
      bot_reason: c.botReason,
    }));
    // One statement writes the raw rows and adds their sums to the rollups. The summing runs in PostgreSQL,
    // not in this process: the redirect answering visitors shares this event loop.
    await trx.raw(clicksStatement, [JSON.stringify(rows)]);
    return { written: clicks.length, unique: unique.size };
  });
}

/**
 * Inserts the batch into analytics_events and adds it to analytics_rollups: per campaign, team-local day and
 * basis (a click counts on its own day in both), in 'all' and in every dimension (unknown values under ''), so a
 * breakdown adds up to its total. Rollup rows are written in key order, the order applyRollupDeltas uses too, so
 * concurrent writers take their locks in one order.
 */
const clicksStatement = `
  WITH x AS (
    SELECT * FROM json_to_recordset(?::json) AS x(team_id uuid, campaign_id uuid, occurred_at timestamptz,
      day date, link_id uuid, click_id text, source text, sub1 text, sub2 text, sub3 text, referrer_host text,
      device text, browser text, country text, visitor_key text, is_unique boolean, bot_reason text)
  ), events AS (
    INSERT INTO analytics_events (team_id, campaign_id, type, occurred_at, click_at, link_id, click_id, source,
                                  sub1, sub2, sub3, referrer_host, device, browser, country, visitor_key,
                                  is_unique, bot_reason)
    SELECT team_id, campaign_id, 'click', occurred_at, occurred_at, link_id, click_id, source, sub1, sub2, sub3,
           referrer_host, device, browser, country, visitor_key, is_unique, bot_reason
    FROM x
  ), tuples AS (
    -- Clicks with the same values in every dimension first, so each is expanded into its rollup rows once.
    SELECT team_id, campaign_id, day, link_id, source, sub1, sub2, sub3, device, browser, country, referrer_host,
           count(*) FILTER (WHERE bot_reason IS NULL) AS clicks,
           count(*) FILTER (WHERE bot_reason IS NULL AND is_unique) AS unique_clicks,
           count(*) FILTER (WHERE bot_reason IS NOT NULL) AS bot_clicks
    FROM x
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
  )
  INSERT INTO analytics_rollups AS r (team_id, campaign_id, basis, day, dimension, value, clicks, unique_clicks,
                                      bot_clicks)
  SELECT t.team_id, t.campaign_id, b.basis, t.day, d.dimension, d.value,
         sum(t.clicks), sum(t.unique_clicks), sum(t.bot_clicks)
  FROM tuples t
  CROSS JOIN (VALUES ('click'), ('sale')) AS b(basis)
  CROSS JOIN LATERAL (VALUES ('all', ''), ('link', t.link_id::text), ('source', coalesce(t.source, '')),
                             ('sub1', coalesce(t.sub1, '')), ('sub2', coalesce(t.sub2, '')),
                             ('sub3', coalesce(t.sub3, '')), ('device', coalesce(t.device, '')),
                             ('browser', coalesce(t.browser, '')), ('country', coalesce(t.country, '')),
                             ('referrer', coalesce(t.referrer_host, ''))) AS d(dimension, value)
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT analytics_rollups_key_unique DO UPDATE SET
    clicks = r.clicks + excluded.clicks,
    unique_clicks = r.unique_clicks + excluded.unique_clicks,
    bot_clicks = r.bot_clicks + excluded.bot_clicks,
    updated_at = now()`;

/**
 * The indexes (into `clicks`) of the clicks that are their visitor's first on that campaign and day: the first
 * in the batch for each key that analytics_visitors did not hold yet. Bots never count as visitors.
 */
async function firstVisits(trx: Knex.Transaction, clicks: readonly ClickRecord[]): Promise<Set<number>> {
  const firstInBatch = new Map<string, number>();
  clicks.forEach((c, i) => {
    if (c.botReason || !c.visitorKey) return;
    const key = `${c.campaignId}|${c.day}|${c.visitorKey}`;
    if (!firstInBatch.has(key)) firstInBatch.set(key, i);
  });
  if (firstInBatch.size === 0) return new Set();
  // Sorted so concurrent batches take the visitor rows' locks in the same order.
  const candidates = [...firstInBatch.keys()].sort().map((key) => {
    const c = clicks[firstInBatch.get(key)!]!;
    return { campaign_id: c.campaignId, day: c.day, visitor_key: c.visitorKey };
  });
  const inserted = await trx.raw<{ rows: { campaign_id: string; day: string; visitor_key: string }[] }>(
    `INSERT INTO analytics_visitors (campaign_id, day, visitor_key)
     SELECT campaign_id, day, visitor_key
     FROM jsonb_to_recordset(?::jsonb) AS x(campaign_id uuid, day date, visitor_key text)
     ON CONFLICT DO NOTHING
     RETURNING campaign_id, to_char(day, 'YYYY-MM-DD') AS day, visitor_key`,
    [JSON.stringify(candidates)],
  );
  const unique = new Set<number>();
  for (const r of inserted.rows) {
    const i = firstInBatch.get(`${r.campaign_id}|${r.day}|${r.visitor_key}`);
    if (i !== undefined) unique.add(i);
  }
  return unique;
}
