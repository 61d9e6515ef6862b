import { defineRoute, type ApiRoute } from '../http/route';
import { automationRunsOfOneQuery, automationRunsResponse } from '../schemas/automation-runs';
import {
  automationParams,
  automationResponse,
  automationsResponse,
  createAutomationBody,
  deleteAutomationQuery,
  deliveriesQuery,
  deliveriesResponse,
  exportResponse,
  importAutomationBody,
  manualRunBody,
  scheduleResponse,
  startedRunResponse,
  updateAutomationBody,
  versionParams,
  versionResponse,
  versionsResponse,
  webhookResponse,
} from '../schemas/automations';
import { teamParams } from '../schemas/teams';
import type { AutomationRunService } from '../services/automation-runs';
import type { AutomationService } from '../services/automations';

const tag = 'automations';
const notFound = { description: 'automation_not_found (also for automations of other teams)' };
const temporalDown = { description: 'temporal_unavailable' };

export function automationRoutes(automations: AutomationService, runs: AutomationRunService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations',
      summary: "The team's automations, newest first, with their live and latest versions",
      tag,
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Automations', schema: automationsResponse } },
      handler: async ({ membership }) => ({ body: await automations.list(membership) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations',
      summary: 'Create an automation; a definition is saved as draft version 1',
      tag,
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: createAutomationBody,
      responses: {
        201: { description: 'Created', schema: automationResponse },
        400: { description: 'validation_failed: every problem, e.g. definition.steps[0].config.to' },
        413: { description: 'definition_too_large (over 512 KB of JSON)' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await automations.create(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/import',
      summary: 'Create an automation from the JSON of an export (validated; saved as a draft)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: importAutomationBody,
      responses: {
        201: { description: 'Imported', schema: automationResponse },
        400: { description: 'validation_failed' },
        413: { description: 'definition_too_large' },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await automations.importJson(membership, auth.userId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}',
      summary: 'One automation with the definition of its latest version (draft or published)',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      responses: { 200: { description: 'Automation', schema: automationResponse }, 404: notFound },
      handler: async ({ membership, params }) => ({
        body: await automations.get(membership, params.automationId),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/automations/{automationId}',
      summary: 'Rename, describe, or save a definition (a new draft, or the latest draft replaced)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      body: updateAutomationBody,
      responses: {
        200: { description: 'Saved', schema: automationResponse },
        400: { description: 'validation_failed: every problem, e.g. definition.steps[0].config.to' },
        404: notFound,
        413: { description: 'definition_too_large' },
      },
      handler: async ({ membership, auth, params, body }) => ({
        body: await automations.update(membership, auth.userId, params.automationId, body),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/automations/{automationId}',
      summary:
        'Delete an automation (its versions, deliveries and Schedule); unfinished runs: ?runs=cancel|keep',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      query: deleteAutomationQuery,
      responses: {
        204: { description: 'Deleted' },
        404: notFound,
        409: { description: 'runs_running: it has unfinished runs and ?runs= was not given' },
        503: temporalDown,
      },
      handler: async ({ membership, params, query }) => {
        await automations.remove(membership, params.automationId, query.runs);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/versions',
      summary: 'Every version: who saved or published it and when, its content hash, draft or published',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      responses: { 200: { description: 'Versions, newest first', schema: versionsResponse }, 404: notFound },
      handler: async ({ membership, params }) => ({
        body: await automations.versions(membership, params.automationId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/versions/{versionOrHash}',
      summary: 'One version with its definition, by number or by content hash',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: versionParams,
      responses: {
        200: { description: 'Version', schema: versionResponse },
        404: { description: 'automation_not_found or version_not_found' },
      },
      handler: async ({ membership, params }) => ({
        body: await automations.version(membership, params.automationId, params.versionOrHash),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/{automationId}/activate',
      summary: 'Publish the latest draft and make it live (or make a paused automation run again)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      responses: {
        200: { description: 'Active', schema: automationResponse },
        400: { description: 'validation_failed (a draft saved under older rules)' },
        404: notFound,
        409: { description: 'no_definition' },
        503: temporalDown,
      },
      handler: async ({ membership, auth, params }) => ({
        body: await automations.activate(membership, auth.userId, params.automationId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/{automationId}/pause',
      summary: 'Stop triggers from starting runs (running runs go on)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      responses: {
        200: { description: 'Paused', schema: automationResponse },
        404: notFound,
        409: { description: 'automation_not_active' },
        503: temporalDown,
      },
      handler: async ({ membership, auth, params }) => ({
        body: await automations.pause(membership, auth.userId, params.automationId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/schedule',
      summary: 'The Temporal Schedule of a schedule trigger: paused or not, the next 5 run times',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      responses: {
        200: { description: 'Schedule', schema: scheduleResponse },
        404: notFound,
        503: temporalDown,
      },
      handler: async ({ membership, params }) => ({
        body: await automations.schedule(membership, params.automationId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/webhook',
      summary: 'The webhook URL, auth scheme, secret and a curl example',
      tag,
      auth: true,
      // The secret lets anyone start runs: editors only.
      teamRole: 'editor',
      params: automationParams,
      responses: {
        200: { description: 'Webhook', schema: webhookResponse },
        404: notFound,
        409: { description: 'not_a_webhook or no_webhook_secret (activate first)' },
      },
      handler: async ({ membership, params }) => ({
        body: await automations.webhook(membership, params.automationId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/{automationId}/webhook/rotate',
      summary: 'Replace the webhook secret (the old one stops working at once)',
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      responses: {
        200: { description: 'The new secret', schema: webhookResponse },
        404: notFound,
        409: { description: 'not_a_webhook' },
      },
      handler: async ({ membership, auth, params }) => ({
        body: await automations.rotateWebhook(membership, auth.userId, params.automationId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/deliveries',
      summary: 'The latest webhook deliveries: started, duplicate, filtered or refused (with the reason)',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      query: deliveriesQuery,
      responses: {
        200: { description: 'Deliveries, newest first', schema: deliveriesResponse },
        404: notFound,
      },
      handler: async ({ membership, params, query }) => ({
        body: await automations.deliveries(membership, params.automationId, query.limit),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/export',
      summary: 'The automation as JSON (name, description, latest definition; never secrets)',
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      responses: {
        200: { description: 'Export', schema: exportResponse },
        404: notFound,
        409: { description: 'no_definition' },
      },
      handler: async ({ membership, params }) => ({
        body: await automations.exportJson(membership, params.automationId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/{automationId}/runs',
      summary:
        "Start a run by hand on the live version, or with version 'latest' on the latest (draft) version (a manual trigger, or a test run of any trigger)",
      tag,
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      body: manualRunBody,
      responses: {
        202: { description: 'Started', schema: startedRunResponse },
        404: notFound,
        409: {
          description: "automation_not_active (never activated, without version 'latest'), no_definition",
        },
        503: temporalDown,
      },
      handler: async ({ membership, auth, params, body }) => ({
        status: 202,
        body: await automations.startManualRun(
          membership,
          auth.userId,
          params.automationId,
          body.payload,
          body.version,
        ),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/automations/{automationId}/runs',
      summary: "The automation's runs, newest first, by status",
      tag,
      auth: true,
      teamRole: 'viewer',
      params: automationParams,
      query: automationRunsOfOneQuery,
      responses: { 200: { description: 'Runs', schema: automationRunsResponse }, 404: notFound },
      handler: async ({ membership, params, query }) => {
        await automations.get(membership, params.automationId);
        return { body: await runs.list(membership, { ...query, automation_id: params.automationId }) };
      },
    }),
  ];
}
