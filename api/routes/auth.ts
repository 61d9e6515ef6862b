import { defineRoute, type ApiRoute } from '../http/route';
import { clientInfo } from '../http/client-info';
import {
  loginBody,
  logoutBody,
  refreshBody,
  registerBody,
  registerConfirmBody,
  registerResponse,
  registrationStartedResponse,
  sessionSchema,
} from '../schemas/auth';
import type { AuthService } from '../services/auth';

export function authRoutes(auth: AuthService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      summary: 'Start creating an account: emails a confirmation link (same answer for a taken address)',
      tag: 'auth',
      auth: false,
      body: registerBody,
      responses: {
        202: {
          description:
            'Accepted. A new address gets a confirmation link; an address that already has an account gets a ' +
            'notice instead (at most one per 15 minutes). The answer is the same in both cases.',
          schema: registrationStartedResponse,
        },
      },
      handler: async ({ body, res }) => {
        const { answer, sendEmail } = await auth.register(body);
        // The email goes out once the answer has left (or the client gave up), never while it is being written.
        res.once('close', sendEmail);
        return { status: 202, body: answer };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/register/confirm',
      summary:
        'Finish creating an account with the emailed token and the password chosen at sign-up: user, personal team and a session',
      tag: 'auth',
      auth: false,
      body: registerConfirmBody,
      responses: {
        201: { description: 'Registered and signed in', schema: registerResponse },
        400: {
          description:
            'invalid_confirmation_token: unknown, expired or already used (field token); validation_failed: not the password chosen at sign-up (field password), or a missing field',
        },
        409: { description: 'email_taken (the address got an account meanwhile)' },
      },
      handler: async ({ body, req }) => ({
        status: 201,
        body: await auth.confirmRegistration(body, clientInfo(req)),
      }),
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
