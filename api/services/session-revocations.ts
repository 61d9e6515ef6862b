import type { Config } from '../../lib/config';
import type { KeyValue } from '../../lib/kv';

const KEY_PREFIX = 'auth:revoked-session:';

/**
 * Ended sessions, so their access tokens stop working at once instead of at expiry. A session is a
 * refresh-token family; its id is the access token's `sid` claim. Each revoked id is one kv key that expires
 * when the last access token of the session can no longer be valid, so the set never outgrows the sessions
 * ended within one access-token lifetime, and checking a token costs one kv GET.
 */
export function createSessionRevocations(kv: KeyValue, auth: Pick<Config['auth'], 'accessTokenTtlSeconds'>) {
  // The access-token lifetime, plus a margin for clock skew between the api processes and the kv store.
  const ttlSeconds = auth.accessTokenTtlSeconds + 30;
  return {
    async revoke(sessionId: string): Promise<void> {
      await kv.set(KEY_PREFIX + sessionId, '1', ttlSeconds);
    },
    async isRevoked(sessionId: string): Promise<boolean> {
      return (await kv.get(KEY_PREFIX + sessionId)) !== null;
    },
  };
}

export type SessionRevocations = ReturnType<typeof createSessionRevocations>;
