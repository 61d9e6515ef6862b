import type { TeamMembership, User } from '$api/auth';
import type { Theme } from '$lib/types';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
      requestId?: string;
    }
    interface Locals {
      /** Set by hooks.server.ts from GET /me when the session is valid. */
      user: User | null;
      /** The user's teams as returned by GET /me (empty when logged out). */
      teams: TeamMembership[];
      /** The team the user chose (URL, else cookie, else personal); top-level links open its pages. */
      currentTeam: TeamMembership | null;
      /** Current (possibly just-refreshed) access token; null when logged out. */
      accessToken: string | null;
      /** Forwarded to the API as X-Request-Id so logs on both sides line up. */
      requestId: string;
      theme: Theme;
      /** The IANA zone the browser reported (cookie), UTC until it has. Dates are shown and entered in it. */
      timeZone: string;
    }
  }
}

export {};
