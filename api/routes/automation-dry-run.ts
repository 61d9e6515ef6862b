import { defineRoute, type ApiRoute } from '../http/route';
import { automationParams, dryRunBody, dryRunResponse } from '../schemas/automation-dry-run';
import type { AutomationDryRunService } from '../services/automation-dry-run';

export function automationDryRunRoutes(service: AutomationDryRunService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/{automationId}/dry-run',
      summary: 'Run one step of the latest version with sample data, without side effects',
      tag: 'automations',
      auth: true,
      teamRole: 'editor',
      params: automationParams,
      body: dryRunBody,
      responses: {
        200: { description: 'The evaluated config and what the step would do', schema: dryRunResponse },
        400: {
          description:
            'validation_failed (no such step_id), or step_failed: an expression or value at details[].path (config.to)',
        },
        404: { description: 'automation_not_found' },
      },
      handler: async ({ membership, params, body }) => ({
        body: await service.dryRun(membership, params.automationId, body),
      }),
    }),
  ];
}
