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
