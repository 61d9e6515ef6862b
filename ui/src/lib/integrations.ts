import type {
  ConnectionTest,
  IntegrationProvider,
  IntegrationSource,
  IntegrationView,
} from '$api/integrations';

/** One input of an integration's connect form; `secret` fields are masked by the API and sent only when typed. */
interface IntegrationField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  type?: 'text' | 'email' | 'url';
  placeholder?: string;
  hint?: string;
  /** An optional secret the team may remove without disconnecting (sent as null). */
  clearable?: boolean;
}

export interface IntegrationInfo {
  provider: IntegrationProvider;
  name: string;
  purpose: string;
  fields: readonly IntegrationField[];
}

/** Display order and form fields; names match the API's PUT bodies. */
export const integrationCatalog: readonly IntegrationInfo[] = [
  {
    provider: 'clickbank',
    name: 'ClickBank',
    purpose: 'Marketplace catalog, orders and sale notifications.',
    fields: [
      {
        name: 'affiliateNickname',
        label: 'Affiliate nickname',
        secret: false,
        required: true,
        placeholder: 'youraffid',
      },
      {
        name: 'insSecretKey',
        label: 'INS secret key',
        secret: true,
        required: true,
        hint: 'Proves each sale notification comes from ClickBank. Find it in ClickBank → Settings → My Site → Advanced Tools → Secret Key.',
      },
      {
        name: 'apiKey',
        label: 'API key (optional)',
        secret: true,
        required: false,
        clearable: true,
        hint: 'A ClickBank Clerk API key (starts with API-): it lets Hopflow look up an order’s details.',
      },
    ],
  },
  {
    provider: 'anthropic',
    name: 'Claude (Anthropic)',
    purpose: 'Writes outlines, drafts and the nightly insights.',
    fields: [{ name: 'apiKey', label: 'API key', secret: true, required: true, placeholder: 'sk-ant-…' }],
  },
  {
    provider: 'postmark',
    name: 'Postmark',
    purpose: 'Sends bonus deliveries, drip sequences and broadcasts.',
    fields: [
      { name: 'serverToken', label: 'Server API token', secret: true, required: true },
      {
        name: 'fromEmail',
        label: 'From address',
        secret: false,
        required: true,
        type: 'email',
        placeholder: 'you@yourdomain.com',
      },
      {
        name: 'messageStream',
        label: 'Message stream (optional)',
        secret: false,
        required: false,
        placeholder: 'outbound',
        hint: 'Postmark keeps kinds of email apart in streams; leave empty to use “outbound”, its stream for everyday email.',
      },
    ],
  },
  {
    provider: 'wordpress',
    name: 'WordPress',
    purpose: 'Publishes reviewed content now or at a chosen time.',
    fields: [
      {
        name: 'siteUrl',
        label: 'Site URL',
        secret: false,
        required: true,
        type: 'url',
        placeholder: 'https://yourblog.com',
      },
      { name: 'username', label: 'Username', secret: false, required: true },
      {
        name: 'applicationPassword',
        label: 'Application password',
        secret: true,
        required: true,
        hint: 'WordPress → Users → Profile → Application Passwords.',
      },
    ],
  },
];

export function integrationInfo(provider: string): IntegrationInfo | undefined {
  return integrationCatalog.find((i) => i.provider === provider);
}

export const sourceLabel: Record<IntegrationSource, string> = {
  team: "Your team's account",
  sandbox: 'Sandbox defaults (no account needed)',
  none: 'Not connected',
};

export const INS_URL_HINT =
  'Instant Notification Service (INS): ClickBank tells Hopflow about each sale at this address. Paste this into ClickBank → Settings → My Site → Advanced Tools → Instant Notification URL, version 7.0.';

/** Credentials shown on a card: secrets (masked by the API) and plain settings, in form order. */
export function shownCredentials(
  info: IntegrationInfo,
  view: IntegrationView,
): { label: string; value: string; secret: boolean }[] {
  const out: { label: string; value: string; secret: boolean }[] = [];
  for (const f of info.fields) {
    const value = f.secret ? view.secrets[f.name] : view.settings[f.name];
    if (value) out.push({ label: f.label.replace(/ \(optional\)$/, ''), value, secret: f.secret });
  }
  return out;
}

export type IntegrationActionName = 'save' | 'test' | 'disconnect';

/** Every form action of the settings page answers with this, so feedback lands on the card it belongs to. */
export interface IntegrationFormResult {
  action: IntegrationActionName;
  provider: string;
  success?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** Non-secret inputs echoed back after a refused save (secrets are never echoed). */
  values?: Record<string, string>;
  test?: ConnectionTest;
}
