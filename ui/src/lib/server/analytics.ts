import type { AnalyticsBreakdownDimension, BreakdownResponse, TimeSeriesResponse } from '$api/analytics';
import type { TeamResponse } from '$api/teams';
import { analyticsQuery, hasFigures, rangeFromQuery, todayIn, type AnalyticsView } from '$lib/analytics';
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

/**
 * Whether the team has any clicks or sales in the year up to today (the most the API answers at once): a range
 * without figures then says "none between these dates" rather than welcoming a team on its first day.
 */
export async function teamHasRecentFigures(client: Api, teamId: string, today: string): Promise<boolean> {
  const from = new Date(`${today}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 365);
  const query = analyticsQuery({
    preset: 0,
    from: from.toISOString().slice(0, 10),
    to: today,
    basis: 'click',
  });
  const year = await client.get<TimeSeriesResponse>(`${teamPath(teamId)}/analytics/series?${query}`);
  return hasFigures(year.totals);
}
