import type { Role } from '../../lib/roles';

export interface AuthContext {
  userId: string;
  /** The session (refresh-token family) of the access token. */
  sessionId: string;
}

export interface TeamMembership {
  teamId: string;
  teamName: string;
  personal: boolean;
  role: Role;
}

interface ValidatedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

// What the middleware chain leaves on res.locals for the handler (typed once here).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId?: string;
      /** Route pattern for metrics and logs, e.g. /api/v1/teams/:teamId. */
      routePattern?: string;
      auth?: AuthContext;
      membership?: TeamMembership;
      valid?: ValidatedInput;
    }
  }
}
