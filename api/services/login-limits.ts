import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../../lib/config';
import { tooManyRequests } from '../../lib/errors';
import type { KeyValue } from '../../lib/kv';

export interface LoginLimits {
  /** Throws 429 rate_limited (with Retry-After) when the account or the IP has used up its failures. */
  assertAllowed(email: string, ip: string): Promise<void>;
  recordFailure(email: string, ip: string): Promise<void>;
  /** A successful login clears the account's failures (the IP's stay, to slow down spraying). */
  recordSuccess(email: string): Promise<void>;
}

/** Counts FAILED logins only, per account and per IP, in the shared store (Redis across processes). */
export function createLoginLimits(kv: KeyValue, auth: Config['auth']): LoginLimits {
  const perAccount = kv.createRateLimiter({
    keyPrefix: 'login_fail_account',
    points: auth.loginMaxFailsPerAccount,
    duration: auth.loginFailWindowSeconds,
  });
  const perIp = kv.createRateLimiter({
    keyPrefix: 'login_fail_ip',
    points: auth.loginMaxFailsPerIp,
    duration: auth.loginFailWindowSeconds,
  });

  const exhausted = async (limiter: RateLimiterAbstract, key: string): Promise<number | null> => {
    const res = await limiter.get(key);
    return res && res.consumedPoints >= limiter.points ? res.msBeforeNext : null;
  };

  const spend = async (limiter: RateLimiterAbstract, key: string) => {
    try {
      await limiter.consume(key);
    } catch (err) {
      // Over the limit is expected here (it is what the next assertAllowed will see); store errors are not.
      if (!(err instanceof RateLimiterRes)) throw err;
    }
  };

  return {
    async assertAllowed(email, ip) {
      const [accountMs, ipMs] = await Promise.all([exhausted(perAccount, email), exhausted(perIp, ip)]);
      const waitMs = Math.max(accountMs ?? -1, ipMs ?? -1);
      if (waitMs >= 0)
        throw tooManyRequests(waitMs / 1000, 'Too many failed sign-in attempts, try again later');
    },
    async recordFailure(email, ip) {
      await Promise.all([spend(perAccount, email), spend(perIp, ip)]);
    },
    async recordSuccess(email) {
      await perAccount.delete(email);
    },
  };
}
