import { emailAddress } from '../../lib/contacts/fields';
import { roleSchema, timestamp, uuid } from './common';
import { z } from './zod';

// The address rules live in lib (the CSV reader uses them too). Zod gives an instance .openapi() only when it is
// built after ./zod extended zod, and lib may load first: clone() builds a fresh instance here.
export const email = emailAddress.clone().openapi({ example: 'ada@example.com' });
const personName = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');

export const registerBody = z.object({
  email,
  password: z.string().min(10, 'Use at least 10 characters').max(128, 'Use at most 128 characters'),
  name: personName,
});

export const registerConfirmBody = z.object({
  token: z.string().trim().min(1, 'The confirmation link is missing its token').max(512),
  // The password chosen at sign-up, checked again: whoever signs up the same address later cannot have the owner
  // confirm an account with the later person's password.
  password: z.string().min(1, 'Enter the password you chose when you signed up').max(1024),
});

export const loginBody = z.object({
  email,
  // No length policy on login: it would reveal nothing useful, but cap the size argon2 has to chew on.
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const refreshBody = z.object({ refreshToken: z.string().min(1).max(512) });
export const logoutBody = z.object({ refreshToken: z.string().min(1).max(512).optional() });

const userSchema = z
  .object({ id: uuid, email: z.string(), name: z.string(), createdAt: timestamp })
  .openapi('User');

const teamMembershipSchema = z
  .object({ id: uuid, name: z.string(), personal: z.boolean(), role: roleSchema })
  .openapi('TeamMembership');

const session = {
  user: userSchema,
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds' }),
};

export const sessionSchema = z.object(session).openapi('Session');
export const registerResponse = z.object({ ...session, team: teamMembershipSchema }).openapi('Registration');
/** The one answer to a sign-up, whether or not the address already has an account. */
export const registrationStartedResponse = z
  .object({
    status: z.literal('confirmation_sent'),
    email: z.string().openapi({ description: 'Where the email went (lower-cased)' }),
  })
  .openapi('RegistrationStarted');
export const meResponse = z.object({ user: userSchema, teams: z.array(teamMembershipSchema) });
export const metaResponse = z.object({
  temporalWebUrl: z.string(),
  sandboxMailboxUrl: z.string().nullable().openapi({
    description:
      "Outside production, when the platform's account emails go to the Postmark sandbox: its mailbox page",
  }),
  temporalNamespace: z.string(),
  version: z.string(),
});

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type User = z.output<typeof userSchema>;
export type TeamMembership = z.output<typeof teamMembershipSchema>;
export type Session = z.output<typeof sessionSchema>;
export type Registration = z.output<typeof registerResponse>;
export type RegistrationStarted = z.output<typeof registrationStartedResponse>;
export type MeResponse = z.output<typeof meResponse>;
export type Meta = z.output<typeof metaResponse>;
