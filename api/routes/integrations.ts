import { defineRoute, type ApiRoute } from '../http/route';
import {
  integrationDisplayNames,
  teamIntegrationProviders,
  type TeamIntegrationProvider,
} from '../../lib/integrations/providers';
import {
  connectionTestResponse,
  integrationBodies,
  integrationResponse,
  integrationsResponse,
  integrationTeamParams,
  type IntegrationBody,
} from '../schemas/integrations';
import type { IntegrationService } from '../services/integrations';

/**
 * One literal path per provider (not a {provider} parameter): each PUT documents its own body in OpenAPI, and
 * an unknown provider is simply no route (404).
 */
function providerRoutes<P extends TeamIntegrationProvider>(
  service: IntegrationService,
  provider: P,
): ApiRoute[] {
  const name = integrationDisplayNames[provider];
  const path = `/teams/{teamId}/integrations/${provider}`;
  return [
    defineRoute({
      method: 'get',
      path,
      summary: `${name} settings (secrets masked)`,
      tag: 'integrations',
      auth: true,
      teamRole: 'viewer',
      params: integrationTeamParams,
      responses: { 200: { description: 'Integration', schema: integrationResponse } },
      handler: async ({ membership }) => ({ body: { integration: await service.get(membership, provider) } }),
    }),
    defineRoute({
      method: 'put',
      path,
      summary: `Connect ${name} or change its settings (omit a stored secret to keep it)`,
      tag: 'integrations',
      auth: true,
      teamRole: 'admin',
      params: integrationTeamParams,
      body: integrationBodies[provider],
      responses: { 200: { description: 'Saved integration', schema: integrationResponse } },
      handler: async ({ membership, auth, body }) => ({
        body: {
          integration: await service.save(membership, auth.userId, provider, body as IntegrationBody[P]),
        },
      }),
    }),
    defineRoute({
      method: 'delete',
      path,
      summary: `Disconnect ${name} (forget the team's credentials)`,
      tag: 'integrations',
      auth: true,
      teamRole: 'admin',
      params: integrationTeamParams,
      responses: { 204: { description: 'Disconnected (also when it was not connected)' } },
      handler: async ({ membership }) => {
        await service.remove(membership, provider);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${path}/test`,
      summary: `Test the ${name} connection with one real call`,
      tag: 'integrations',
      auth: true,
      teamRole: 'admin',
      params: integrationTeamParams,
      responses: {
        200: {
          description: 'Result (ok false carries the provider refusal in plain words)',
          schema: connectionTestResponse,
        },
      },
      handler: async ({ membership }) => ({ body: await service.test(membership, provider) }),
    }),
  ];
}

export function integrationRoutes(service: IntegrationService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/integrations',
      summary: 'All integrations of a team, connected or not',
      tag: 'integrations',
      auth: true,
      teamRole: 'viewer',
      params: integrationTeamParams,
      responses: { 200: { description: 'Integrations', schema: integrationsResponse } },
      handler: async ({ membership }) => ({ body: { integrations: await service.list(membership) } }),
    }),
    ...teamIntegrationProviders.flatMap((p) => providerRoutes(service, p)),
  ];
}
