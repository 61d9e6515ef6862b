import { defineRoute, type ApiRoute } from '../http/route';
import {
  automationRunParams,
  automationRunResponse,
  automationRunsResponse,
  cancelResponse,
  decisionBody,
  decisionResponse,
  listAutomationRunsQuery,
  signalBody,
  signalParams,
  signalResponse,
} from '../schemas/automation-runs';
import { startedRunResponse } from '../schemas/automations';
import { teamParams } from '../schemas/teams';
import type { AutomationRunService } from '../services/automation-runs';

const tag = 'automation runs';
const notFound = { description: 'run_not_found (also for runs of other teams)' };
const temporalDown = { description: 'temporal_unavailable' };

export function automationRunRoutes(runs: AutomationRunService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automation-runs',
      summary: "The team's automation runs, newest first, by status and automation",
      tag,
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      query: listAutomationRunsQuery,
      responses: {
        200: {
          description: 'One page; pass nextBefore as before for the next',
          schema: automationRunsResponse,
        },
      },
      handler: async ({ membership, query }) => ({ body: await runs.list(membership, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automation-runs/{workflowId}',
      summary: 'One run: its record and the live step timeline (stateError says why when it cannot be read)',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationRunParams,
      responses: { 200: { description: 'Run', schema: automationRunResponse }, 404: notFound },
      handler: async ({ membership, params }) => ({ body: await runs.get(membership, params.workflowId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automation-runs/{workflowId}/decision',
      summary: 'Approve or reject a waiting wait_for_approval step (the step decides who may)',
      tag,
      auth: true,
      // Approvers are named by the step (roles, user ids), viewers included: the workflow's validator decides.
      teamRole: 'viewer',
      params: automationRunParams,
      body: decisionBody,
      responses: {
        200: { description: 'Decided; the run state after it', schema: decisionResponse },
        404: notFound,
        409: { description: 'decision_refused (not waiting, not allowed) or run_not_running' },
        503: {
          description: 'temporal_unavailable, or run_unresponsive (no worker took the decision in 10 s)',
        },
      },
      handler: async ({ membership, auth, params, body }) => ({
        body: await runs.decide(membership, auth.userId, params.workflowId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automation-runs/{workflowId}/cancel',
      summary: 'Cancel a run (it winds down through Temporal cancellation)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationRunParams,
      responses: {
        202: { description: 'Cancellation requested', schema: cancelResponse },
        404: notFound,
        409: { description: 'run_not_running' },
        503: temporalDown,
      },
      handler: async ({ membership, params }) => ({
        status: 202,
        body: await runs.cancel(membership, params.workflowId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automation-runs/{workflowId}/signals/{name}',
      summary: 'Send signal:<name> with a payload (a wait_for_event step takes it, even if it arrives first)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: signalParams,
      body: signalBody,
      responses: {
        202: { description: 'Signalled', schema: signalResponse },
        404: notFound,
        409: { description: 'run_not_running' },
        503: temporalDown,
      },
      handler: async ({ membership, params, body }) => ({
        status: 202,
        body: await runs.signal(membership, params.workflowId, params.name, body.payload),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automation-runs/{workflowId}/rerun',
      summary: 'Run the same trigger payload again, on the live version',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationRunParams,
      responses: {
        202: { description: 'Started', schema: startedRunResponse },
        404: notFound,
        409: { description: 'automation_not_active' },
        503: temporalDown,
      },
      handler: async ({ membership, auth, params }) => ({
        status: 202,
        body: await runs.rerun(membership, auth.userId, params.workflowId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automation-runs/{workflowId}/resume',
      summary: 'Resume a failed run from its failed step on the live version (succeeded steps are reused)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationRunParams,
      responses: {
        202: { description: 'Started', schema: startedRunResponse },
        404: notFound,
        409: { description: 'run_not_failed, run_state_unavailable or automation_not_active' },
        503: temporalDown,
      },
      handler: async ({ membership, auth, params }) => ({
        status: 202,
        body: await runs.resume(membership, auth.userId, params.workflowId),
      }),
    }),
  ];
}
