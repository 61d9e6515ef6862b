import { defineRoute, type ApiRoute } from '../http/route';
import { listRunsQuery, runCancelResponse, runParams, runResponse, runsResponse } from '../schemas/runs';
import { teamParams } from '../schemas/teams';
import type { RunService } from '../services/runs';

export function runRoutes(runs: RunService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/runs',
      summary: "The team's workflow runs from Temporal visibility, newest first, by type and status",
      tag: 'runs',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listRunsQuery,
      responses: {
        200: {
          description: 'One page of runs; pass nextCursor as cursor for the next',
          schema: runsResponse,
        },
        400: { description: 'invalid_cursor' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, query }) => ({ body: await runs.list(membership, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/runs/{workflowId}',
      summary: 'One run: status, progress and the step timeline built from its history',
      tag: 'runs',
      auth: true,
      teamRole: 'viewer',
      params: runParams,
      responses: {
        200: { description: 'Run', schema: runResponse },
        404: { description: 'run_not_found (also for runs of other teams)' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, params }) => ({ body: await runs.get(membership, params.workflowId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/runs/{workflowId}/cancel',
      summary: 'Request cancellation of a running run',
      tag: 'runs',
      auth: true,
      teamRole: 'editor',
      params: runParams,
      responses: {
        202: { description: 'Cancellation requested', schema: runCancelResponse },
        404: { description: 'run_not_found' },
        409: { description: 'run_not_running' },
        503: { description: 'temporal_unavailable' },
      },
      handler: async ({ membership, params }) => ({
        status: 202,
        body: await runs.cancel(membership, params.workflowId),
      }),
    }),
  ];
}
