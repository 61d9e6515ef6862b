import { defineRoute, type ApiRoute } from '../http/route';
import { automationResponse } from '../schemas/automations';
import { automationTemplatesResponse, fromTemplateBody } from '../schemas/automation-templates';
import { teamParams } from '../schemas/teams';
import type { AutomationTemplateService } from '../services/automation-templates';

const tag = 'automations';

export function automationTemplateRoutes(templates: AutomationTemplateService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/automation-templates',
      summary: 'The template gallery: ready automations, what they connect and the values they need',
      tag,
      auth: true,
      responses: { 200: { description: 'Templates', schema: automationTemplatesResponse } },
      handler: () => Promise.resolve({ body: templates.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/automations/from-template',
      summary: "Create an automation from a template and the builder's values (saved as a draft)",
      tag,
      auth: true,
      teamRole: 'editor',
      params: teamParams,
      body: fromTemplateBody,
      responses: {
        201: { description: 'Created', schema: automationResponse },
        400: {
          description:
            'validation_failed: an unknown template_id, a missing or wrong value (values.<key>, also a campaign ' +
            'or sequence that is not the team’s), or a definition problem (definition.<path>)',
        },
      },
      handler: async ({ membership, auth, body }) => ({
        status: 201,
        body: await templates.create(membership, auth.userId, body),
      }),
    }),
  ];
}
