/** Shapes of the Hopflow API's JSON (see the shared HTTP contract). */
export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
export type Theme = 'system' | 'light' | 'dark';

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface TeamMembership {
  id: string;
  name: string;
  personal: boolean;
  role: Role;
  createdAt?: string;
}

export interface TeamDetail extends TeamMembership {
  timeZone: string;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export type CheckStatus = 'pending' | 'completed' | 'failed';

export interface PlatformCheck {
  id: string;
  teamId: string;
  workflowId: string;
  status: CheckStatus;
  result: unknown;
  workerIdentity: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface CheckWithUrl {
  check: PlatformCheck;
  temporalUrl: string;
}

export interface Meta {
  temporalWebUrl: string;
  temporalNamespace: string;
  version: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface AuthResponse extends SessionTokens {
  user: User;
}

/** Outside services a team connects in Settings → Integrations (Stripe is platform-level, not per team). */
export type IntegrationProvider = 'clickbank' | 'anthropic' | 'postmark' | 'wordpress';
export type IntegrationMode = 'sandbox' | 'live';
/** Whose credentials calls use: the team's own account, the sandbox defaults, or none (live, not connected). */
export type IntegrationSource = 'team' | 'sandbox' | 'none';

export interface IntegrationTestOutcome {
  ok: boolean;
  message: string;
  at: string;
}

export interface IntegrationView {
  provider: IntegrationProvider;
  mode: IntegrationMode;
  connected: boolean;
  source: IntegrationSource;
  /** Non-secret fields as stored (nickname, from address, site URL...). */
  settings: Record<string, string | null | undefined>;
  /** Secret fields masked by the API, e.g. "••••••••3F9A"; the clear value never leaves the API. */
  secrets: Record<string, string | null | undefined>;
  /** ClickBank only: the per-team URL to paste into ClickBank's INS settings. */
  insUrl?: string | null;
  lastTest: IntegrationTestOutcome | null;
  updatedAt: string | null;
}

/** POST /teams/{teamId}/integrations/{provider}/test */
export interface IntegrationTestResponse {
  ok: boolean;
  message: string;
  testedAt: string;
}
