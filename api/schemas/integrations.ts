import { teamIntegrationProviders } from '../../lib/integrations/providers';
import { email } from './auth';
import { timestamp, uuid } from './common';
import { z } from './zod';

/**
 * Team integration settings. PUT bodies are strict (unknown fields are refused, so a typo cannot silently drop
 * a value). Secret fields are optional here: a PUT may omit a stored secret to keep it; the service refuses
 * a first save without them, naming the field.
 */

const integrationProviderSchema = z.enum(teamIntegrationProviders).openapi('IntegrationProvider');
export const integrationTeamParams = z.object({ teamId: uuid });

const noSpaces = (what: string) =>
  z.string().trim().min(1, `Enter the ${what}`).max(200, 'At most 200 characters');

// ClickBank account nicknames: 5 to 10 letters and digits (case-insensitive; HopLinks use lower case).
const affiliateNickname = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{5,10}$/, 'A ClickBank nickname has 5 to 10 letters and digits')
  .transform((v) => v.toLowerCase())
  .openapi({ example: 'myaffiliate' });
// ClickBank's INS secret key: up to 16 characters, upper-case letters and digits only.
const insSecretKey = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{1,16}$/, 'The secret key has up to 16 upper-case letters and digits')
  .openapi({ example: 'MYSECRETKEY2024' });
// ClickBank clerk API keys are sent as `Authorization: API-...`.
const clickbankApiKey = z
  .string()
  .trim()
  .regex(/^API-[A-Za-z0-9]{4,64}$/, 'A ClickBank API key starts with API- followed by letters and digits')
  .openapi({ example: 'API-KYT5KVQ9YU3SSNC5V1QH6SLXZ8ATEV3E' });

const clickbankIntegrationBody = z
  .strictObject({
    affiliateNickname,
    insSecretKey: insSecretKey.optional(),
    // null removes a stored API key (it is optional: without it the REST order lookups are off).
    apiKey: clickbankApiKey.nullable().optional(),
  })
  .openapi('ClickbankIntegrationBody');

const anthropicIntegrationBody = z
  .strictObject({
    apiKey: z
      .string()
      .trim()
      .regex(/^sk-ant-[A-Za-z0-9_-]{4,200}$/, 'An Anthropic API key starts with sk-ant-')
      .optional(),
  })
  .openapi('AnthropicIntegrationBody');

const postmarkIntegrationBody = z
  .strictObject({
    serverToken: noSpaces('Postmark server token').regex(/^\S+$/, 'A server token has no spaces').optional(),
    fromEmail: email,
    messageStream: z
      .string()
      .trim()
      .regex(/^[a-z0-9_-]{1,64}$/, 'A message stream id has lower-case letters, digits, - and _')
      .default('outbound'),
  })
  .openapi('PostmarkIntegrationBody');

const httpUrl = z
  .string()
  .trim()
  .max(500, 'At most 500 characters')
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'Enter the site address, starting with https:// (or http://)')
  // The REST base is appended to it, so keep it without a trailing slash.
  .transform((v) => v.replace(/\/+$/, ''))
  .openapi({ example: 'https://blog.example.com' });

const wordpressIntegrationBody = z
  .strictObject({
    siteUrl: httpUrl,
    username: noSpaces('WordPress username'),
    // WordPress shows application passwords as six groups of four; spaces are optional when sent.
    applicationPassword: z
      .string()
      .trim()
      .refine(
        (v) => /^[A-Za-z0-9]{24}$/.test(v.replace(/ /g, '')),
        'An application password has 24 letters and digits (spaces allowed)',
      )
      .optional(),
  })
  .openapi('WordpressIntegrationBody');

export const integrationBodies = {
  clickbank: clickbankIntegrationBody,
  anthropic: anthropicIntegrationBody,
  postmark: postmarkIntegrationBody,
  wordpress: wordpressIntegrationBody,
} as const;

export type IntegrationBody = {
  [P in keyof typeof integrationBodies]: z.output<(typeof integrationBodies)[P]>;
};

const integrationViewSchema = z
  .object({
    provider: integrationProviderSchema,
    mode: z.enum(['sandbox', 'live']),
    connected: z.boolean().openapi({ description: 'The team saved its own credentials' }),
    source: z
      .enum(['team', 'sandbox', 'none'])
      .openapi({ description: 'Which credentials calls use now; none: calls fail until the team connects' }),
    settings: z.record(z.string(), z.string()).openapi({ description: 'Non-secret fields' }),
    secrets: z
      .record(z.string(), z.string())
      .openapi({ description: 'Stored secret fields, masked (last four characters at most)' }),
    insUrl: z
      .string()
      .nullable()
      .openapi({ description: 'ClickBank only: the URL to paste into ClickBank INS settings' }),
    lastTest: z.object({ ok: z.boolean(), message: z.string(), at: timestamp }).nullable(),
    updatedAt: timestamp.nullable(),
  })
  .openapi('Integration');

export const integrationResponse = z.object({ integration: integrationViewSchema });
export const integrationsResponse = z.object({ integrations: z.array(integrationViewSchema) });
export const connectionTestResponse = z
  .object({ ok: z.boolean(), message: z.string(), testedAt: timestamp })
  .openapi('ConnectionTest');

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type IntegrationProvider = z.output<typeof integrationProviderSchema>;
export type IntegrationView = z.output<typeof integrationViewSchema>;
/** Whose credentials calls use: the team's own account, the sandbox defaults, or none (live, not connected). */
export type IntegrationSource = IntegrationView['source'];
export type IntegrationTestOutcome = NonNullable<IntegrationView['lastTest']>;
export type IntegrationsResponse = z.output<typeof integrationsResponse>;
export type ConnectionTest = z.output<typeof connectionTestResponse>;
