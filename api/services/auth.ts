import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { AppError, badRequest, conflict, unauthorized } from '../../lib/errors';
import type { KeyValue } from '../../lib/kv';
import type { Logger } from '../../lib/logger';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../../lib/passwords';
import { insertMember } from '../../data/members';
import {
  consumeRefreshToken,
  findRefreshToken,
  insertRefreshToken,
  revokeFamily,
  setReplacedBy,
} from '../../data/refresh-tokens';
import { insertTeam, listTeamsForUser } from '../../data/teams';
import {
  findCredentialsByEmail,
  findUserByEmail,
  findUserById,
  insertUser,
  type UserRow,
} from '../../data/users';
import {
  claimRegistrationNotice,
  deleteExpiredPendingRegistrations,
  deletePendingRegistration,
  lockPendingRegistration,
  upsertPendingRegistration,
} from '../../data/pending-registrations';
import { isUniqueViolation } from '../../data/pg-errors';
import { createLoginLimits } from './login-limits';
import { createSessionRevocations } from './session-revocations';
import { createPlatformMail } from './platform-mail';
import { hashOpaqueToken, newOpaqueToken, signAccessToken } from './tokens';
import { inTransaction } from '../../data/transaction';

/** How long an emailed confirmation link works. */
const REGISTRATION_LINK_TTL_HOURS = 24;
/** At most one "someone tried to register with your address" email per address in this window. */
const REGISTRATION_NOTICE_INTERVAL_SECONDS = 15 * 60;
/** At most one confirmation link per address in this window (a repeat sooner keeps the earlier link). */
const REGISTRATION_LINK_INTERVAL_SECONDS = 60;

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
}

export interface Session {
  user: PublicUser;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const publicUser = (u: UserRow): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  createdAt: u.createdAt,
});
const invalidCredentials = () => unauthorized('Email or password is incorrect', 'invalid_credentials');
const wrongSignUpPassword = () =>
  badRequest('This is not the password chosen when this account was requested', [
    {
      path: 'password',
      message:
        'This is not the password you chose when you signed up. Type that one, or create your account again to choose a new one',
    },
  ]);
const invalidConfirmation = () =>
  badRequest(
    'This confirmation link is invalid, expired or already used',
    [
      {
        path: 'token',
        message: 'This link is invalid, expired or already used; create your account again to get a new one',
      },
    ],
    'invalid_confirmation_token',
  );
const emailTaken = () =>
  conflict('An account with this email already exists', 'email_taken', [
    { path: 'email', message: 'An account with this email already exists' },
  ]);
const invalidRefresh = () => unauthorized('The refresh token is invalid or expired', 'invalid_refresh_token');

export function createAuthService(deps: { db: Knex; config: Config; kv: KeyValue; logger: Logger }) {
  const { db, config } = deps;
  const mail = createPlatformMail(deps);
  const limits = createLoginLimits(deps.kv, config.auth);
  const sessions = createSessionRevocations(deps.kv, config.auth);
  const refreshTtlMs = config.auth.refreshTokenTtlDays * 24 * 3600 * 1000;

  /**
   * Access token + a new refresh token; familyId continues a rotation chain or starts one at login. The
   * family is the session: its id is the access token's `sid`.
   */
  async function issueSession(
    trx: Knex | Knex.Transaction,
    user: UserRow,
    client: ClientInfo,
    familyId: string = randomUUID(),
  ) {
    const refresh = newOpaqueToken();
    const id = await insertRefreshToken(trx, {
      userId: user.id,
      familyId,
      hash: refresh.hash,
      expiresAt: new Date(Date.now() + refreshTtlMs),
      userAgent: client.userAgent,
      ip: client.ip,
    });
    const access = signAccessToken(config.auth, user.id, familyId);
    return {
      id,
      session: { user: publicUser(user), ...access, refreshToken: refresh.token } satisfies Session,
    };
  }

  /** Ends a session: its refresh tokens (database) and, through the kv revocation set, its access tokens. */
  async function endSession(familyId: string): Promise<void> {
    await revokeFamily(db, familyId);
    await sessions.revoke(familyId);
  }

  return {
    /**
     * Step one of a sign-up. The answer and the work are the same whether or not the address has an account, so
     * the answer reveals nothing: both branches hash the password, look the address up and make one database
     * write. A new address gets a pending registration and a confirmation link; an existing owner gets a notice
     * (or nothing, when one went out recently). The email is not sent here: `sendEmail` is for the caller to run
     * once the answer has gone, so no answer's timing depends on whether, or which, email is sent.
     */
    async register(input: { email: string; password: string; name: string }) {
      const email = input.email.toLowerCase();
      const passwordHash = await hashPassword(input.password);
      const token = newOpaqueToken();
      const existing = await findUserByEmail(db, email);
      let sendEmail = () => {};
      if (existing) {
        if (await claimRegistrationNotice(db, email, REGISTRATION_NOTICE_INTERVAL_SECONDS)) {
          sendEmail = () => mail.sendAccountExistsNotice(existing.email, `${config.ui.publicUrl}/login`);
        }
      } else {
        const stored = await upsertPendingRegistration(
          db,
          {
            email,
            name: input.name,
            passwordHash,
            tokenHash: token.hash,
            expiresAt: new Date(Date.now() + REGISTRATION_LINK_TTL_HOURS * 3600 * 1000),
          },
          REGISTRATION_LINK_INTERVAL_SECONDS,
        );
        if (stored) {
          const link = `${config.ui.publicUrl}/register/confirm?token=${encodeURIComponent(token.token)}`;
          sendEmail = () => mail.sendRegistrationConfirmation(email, link, REGISTRATION_LINK_TTL_HOURS);
        }
      }
      // After the answer, in both branches alike: the email, and forgetting sign-ups whose link expired.
      const afterAnswer = () => {
        sendEmail();
        deleteExpiredPendingRegistrations(db).catch((err: unknown) => {
          deps.logger.warn({ err }, 'could not delete expired sign-ups');
        });
      };
      return { answer: { status: 'confirmation_sent' as const, email }, sendEmail: afterAnswer };
    },

    /**
     * Step two: the emailed token creates the user, personal team, owner membership and first session, all or
     * nothing. The token is spent in the same transaction, so a link works once.
     */
    /**
     * Creates the account of an emailed link. The password typed at sign-up must be typed again: a later sign-up
     * of the same address replaces the link, so without it whoever signed up last would choose the password of
     * the account the owner then confirms. A wrong password leaves the link usable.
     */
    async confirmRegistration(input: { token: string; password: string }, client: ClientInfo) {
      try {
        return await inTransaction(db, async (trx) => {
          const pending = await lockPendingRegistration(trx, hashOpaqueToken(input.token));
          if (!pending) throw invalidConfirmation();
          if (!(await verifyPassword(pending.passwordHash, input.password))) throw wrongSignUpPassword();
          await deletePendingRegistration(trx, pending.id);
          const user = await insertUser(trx, {
            email: pending.email,
            name: pending.name,
            passwordHash: pending.passwordHash,
          });
          const team = await insertTeam(trx, {
            name: `${pending.name}'s team`,
            personal: true,
            createdBy: user.id,
          });
          await insertMember(trx, team.id, user.id, 'owner');
          const { session } = await issueSession(trx, user, client);
          return {
            ...session,
            team: { id: team.id, name: team.name, personal: true, role: 'owner' as const },
          };
        });
      } catch (err) {
        // The address got an account between the two steps (another confirmation, an invitation).
        if (isUniqueViolation(err, 'users_email_lower_unique')) throw emailTaken();
        throw err;
      }
    },

    async login(input: { email: string; password: string }, client: ClientInfo): Promise<Session> {
      await limits.assertAllowed(input.email, client.ip);
      const user = await findCredentialsByEmail(db, input.email);
      const ok = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await verifyDummyPassword(input.password), false);
      if (!user || !ok) {
        await limits.recordFailure(input.email, client.ip);
        throw invalidCredentials();
      }
      await limits.recordSuccess(input.email);
      return (await issueSession(db, user, client)).session;
    },

    /**
     * Rotation: the presented token is spent atomically and its successor joins the same family.
     * Presenting a token that was already spent (or revoked) means it leaked: the whole family dies.
     */
    async refresh(refreshToken: string, client: ClientInfo): Promise<Session> {
      const hash = hashOpaqueToken(refreshToken);
      const rotated = await inTransaction(db, async (trx) => {
        const spent = await consumeRefreshToken(trx, hash);
        if (!spent) return null;
        const user = await findUserById(trx, spent.userId);
        if (!user) return null;
        const next = await issueSession(trx, user, client, spent.familyId);
        await setReplacedBy(trx, spent.id, next.id);
        return next.session;
      });
      if (rotated) return rotated;

      const known = await findRefreshToken(db, hash);
      if (known && (known.usedAt || known.revokedAt)) {
        await endSession(known.familyId);
        throw new AppError(401, 'refresh_token_reused', 'This refresh token was already used; sign in again');
      }
      throw invalidRefresh();
    },

    async logout(refreshToken: string | undefined): Promise<void> {
      if (!refreshToken) return;
      const known = await findRefreshToken(db, hashOpaqueToken(refreshToken));
      if (known) await endSession(known.familyId);
    },

    async profile(userId: string) {
      const user = await findUserById(db, userId);
      if (!user) throw unauthorized('The account no longer exists', 'invalid_token');
      const teams = await listTeamsForUser(db, userId);
      return {
        user: publicUser(user),
        teams: teams.map((t) => ({ id: t.id, name: t.name, personal: t.personal, role: t.role })),
      };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
