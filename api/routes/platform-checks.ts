import { defineRoute, type ApiRoute } from '../http/route';
import { checkParams, checkResponse, checksResponse } from '../schemas/platform-checks';
import { teamParams } from '../schemas/teams';
import type { PlatformCheckService } from '../services/platform-checks';

export function platformCheckRoutes(checks: PlatformCheckService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/platform-checks',
      summary: 'Start a platform check workflow on the priority queue',
      tag: 'platform-checks',
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      responses: {
        202: { description: 'Started; poll the check or open it in Temporal Web', schema: checkResponse },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, auth }) => ({
        status: 202,
        body: await checks.start(membership, auth.userId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/platform-checks',
      summary: 'Recent platform checks (newest first, at most 20)',
      tag: 'platform-checks',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Checks', schema: checksResponse } },
      handler: async ({ membership }) => ({ body: await checks.list(membership) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/platform-checks/{checkId}',
      summary: 'One platform check with its Temporal Web link',
      tag: 'platform-checks',
      auth: true,
      teamRole: 'viewer',
      params: checkParams,
      responses: { 200: { description: 'Check', schema: checkResponse } },
      handler: async ({ membership, params }) => ({ body: await checks.get(membership, params.checkId) }),
    }),
  ];
}
