import { defineRoute, type ApiRoute } from '../http/route';
import { demoDataResponse } from '../schemas/demo-data';
import { teamParams } from '../schemas/teams';
import type { DemoDataService } from '../services/demo-data';

export function demoDataRoutes(demo: DemoDataService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/demo-data',
      summary: 'Fill a team without clicks with demo campaigns and 90 days of clicks and sales',
      tag: 'analytics',
      auth: true,
      teamRole: 'admin',
      params: teamParams,
      responses: {
        201: { description: 'Demo data loaded', schema: demoDataResponse },
        409: { description: 'team_has_clicks (the team already has clicks), clickbank_not_connected' },
      },
      handler: async ({ membership, auth }) => ({
        status: 201,
        body: await demo.load(membership, auth.userId),
      }),
    }),
  ];
}
