import type { Config } from '../../lib/config';
import { defineRoute, type ApiRoute } from '../http/route';
import { meResponse, metaResponse } from '../schemas/auth';
import type { AuthService } from '../services/auth';

export function accountRoutes(auth: AuthService, config: Config, version: string): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user and their teams',
      tag: 'account',
      auth: true,
      responses: { 200: { description: 'Profile', schema: meResponse } },
      handler: async ({ auth: caller }) => ({ body: await auth.profile(caller.userId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/meta',
      summary: 'Public facts the UI needs (Temporal Web link, namespace, version, test mailbox)',
      tag: 'account',
      auth: false,
      responses: { 200: { description: 'Meta', schema: metaResponse } },
      handler: () =>
        Promise.resolve({
          body: {
            temporalWebUrl: config.temporal.uiUrl,
            sandboxMailboxUrl: config.platformMail.sandboxMailboxUrl,
            temporalNamespace: config.temporal.namespace,
            version,
          },
        }),
    }),
  ];
}
