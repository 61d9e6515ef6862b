import { defineRoute, type ApiRoute } from '../http/route';
import { clientInfo } from '../http/client-info';
import {
  loginBody,
  logoutBody,
  refreshBody,
  registerBody,
  registerResponse,
  sessionSchema,
} from '../schemas/auth';
import type { AuthService } from '../services/auth';

export function authRoutes(auth: AuthService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account with a personal team',
      tag: 'auth',
      auth: false,
      body: registerBody,
      responses: {
        201: { description: 'Registered and signed in', schema: registerResponse },
        409: { description: 'email_taken' },
      },
      handler: async ({ body, req }) => ({ status: 201, body: await auth.register(body, clientInfo(req)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password',
      tag: 'auth',
      auth: false,
      body: loginBody,
      responses: {
        200: { description: 'Signed in', schema: sessionSchema },
        401: { description: 'invalid_credentials' },
        429: { description: 'rate_limited (see Retry-After)' },
      },
      handler: async ({ body, req }) => ({ body: await auth.login(body, clientInfo(req)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Exchange a refresh token for a new pair (rotation)',
      tag: 'auth',
      auth: false,
      body: refreshBody,
      responses: {
        200: { description: 'New access and refresh token', schema: sessionSchema },
        401: { description: 'invalid_refresh_token, or refresh_token_reused (the whole family is revoked)' },
      },
      handler: async ({ body, req }) => ({ body: await auth.refresh(body.refreshToken, clientInfo(req)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: "Sign out: revoke the refresh token's family",
      tag: 'auth',
      auth: false,
      body: logoutBody,
      responses: { 204: { description: 'Signed out' } },
      handler: async ({ body }) => {
        await auth.logout(body.refreshToken);
        return { status: 204 };
      },
    }),
  ];
}
