import type { AnalyticsBreakdownDimension, BreakdownResponse, TimeSeriesResponse } from '$api/analytics';
import type { TeamResponse } from '$api/teams';
import { analyticsQuery, rangeFromQuery, todayIn, type AnalyticsView } from '$lib/analytics';
import { ApiError, type Api } from './api';
import { teamPath } from './current-team';

/**
 * The figures a page leads with: the range and basis of its URL, the daily series (team or one campaign) and
 * the breakdowns asked for. Null when the API has no analytics (an older server): the page shows the rest.
 */
export async function loadAnalytics(
  client: Api,
  url: URL,
  o: {
    teamId: string;
    timeZone?: string;
    campaignId?: string;
    breakdowns: readonly AnalyticsBreakdownDimension[];
    limit?: number;
  },
): Promise<AnalyticsView | null> {
  const base = `${teamPath(o.teamId)}/analytics`;
  const zone = o.timeZone ?? (await client.get<TeamResponse>(teamPath(o.teamId))).team.timeZone;
  const range = rangeFromQuery(url.searchParams, todayIn(zone));
  const scope: Record<string, string> = o.campaignId ? { campaignId: o.campaignId } : {};
  try {
    const [series, ...rows] = await Promise.all([
      client.get<TimeSeriesResponse>(`${base}/series?${analyticsQuery(range, scope)}`),
      ...o.breakdowns.map((dimension) =>
        client.get<BreakdownResponse>(
          `${base}/breakdown?${analyticsQuery(range, { ...scope, dimension, limit: String(o.limit ?? 10) })}`,
        ),
      ),
    ]);
    return {
      range,
      series,
      breakdowns: Object.fromEntries(rows.map((b) => [b.dimension, b])),
    };
  } catch (err) {
    // A 404 here is the analytics routes missing; a campaign the user cannot see 404s earlier, on its own read.
    if (err instanceof ApiError && err.status === 404 && err.code !== 'campaign_not_found') return null;
    throw err;
  }
}
