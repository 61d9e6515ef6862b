import { defineRoute, type ApiRoute } from '../http/route';
import {
  insightsEmailBody,
  insightsEmailResponse,
  insightsResponse,
  latestInsightResponse,
  listInsightsQuery,
  runInsightsBody,
  runInsightsResponse,
} from '../schemas/insights';
import { teamParams } from '../schemas/teams';
import type { InsightService } from '../services/insights';

export function insightRoutes(insights: InsightService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/insights/latest',
      summary: "The team's most recent nightly insight (null before the first one)",
      tag: 'insights',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Latest insight', schema: latestInsightResponse } },
      handler: async ({ membership }) => ({ body: await insights.latest(membership) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/insights',
      summary: "The team's nightly insights, newest day first",
      tag: 'insights',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listInsightsQuery,
      responses: { 200: { description: 'Insights', schema: insightsResponse } },
      handler: async ({ membership, query }) => ({ body: await insights.list(membership, query.limit) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/insights/run',
      summary: "Run the team's insight now for a day (default: the team's yesterday)",
      tag: 'insights',
      auth: true,
      teamRole: 'admin',
      params: teamParams,
      body: runInsightsBody,
      responses: {
        202: { description: 'Started (or joined a run in progress)', schema: runInsightsResponse },
        400: { description: 'validation_failed (day in the future)' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, body }) => ({
        status: 202,
        body: await insights.run(membership, body.day),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/members/me/insights-email',
      summary: 'Whether the nightly insight of this team is emailed to me',
      tag: 'insights',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'My setting', schema: insightsEmailResponse } },
      handler: async ({ membership, auth }) => ({
        body: await insights.getEmailSetting(membership, auth.userId),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/teams/{teamId}/members/me/insights-email',
      summary: 'Turn the nightly insight email of this team on or off for myself',
      tag: 'insights',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      body: insightsEmailBody,
      responses: { 200: { description: 'Saved', schema: insightsEmailResponse } },
      handler: async ({ membership, auth, body }) => ({
        body: await insights.setEmailSetting(membership, auth.userId, body.enabled),
      }),
    }),
  ];
}
