import type { Insight, InsightsEmailResponse, LatestInsightResponse } from '$api/insights';
import { ApiError, type Api } from './api';
import { teamPath } from './current-team';

export interface DashboardInsight {
  insight: Insight | null;
  emailMe: boolean;
}

/** The dashboard's insight card: the latest insight and my email opt-in (null where the API has none). */
export async function loadDashboardInsight(client: Api, teamId: string): Promise<DashboardInsight | null> {
  try {
    const [{ insight }, { insightsEmail }] = await Promise.all([
      client.get<LatestInsightResponse>(`${teamPath(teamId)}/insights/latest`),
      client.get<InsightsEmailResponse>(`${teamPath(teamId)}/members/me/insights-email`),
    ]);
    return { insight, emailMe: insightsEmail.enabled };
  } catch (err) {
    // An API without insights (older server) leaves the card out instead of breaking the dashboard.
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
