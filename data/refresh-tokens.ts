import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface RefreshTokenRow {
  id: string;
  userId: string;
  familyId: string;
  usedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date;
}

const columns = [
  'id',
  'user_id as userId',
  'family_id as familyId',
  'used_at as usedAt',
  'revoked_at as revokedAt',
  'expires_at as expiresAt',
];

export async function insertRefreshToken(
  db: Db,
  token: { userId: string; familyId: string; hash: string; expiresAt: Date; userAgent?: string; ip?: string },
): Promise<string> {
  const rows = await db('refresh_tokens')
    .insert({
      user_id: token.userId,
      family_id: token.familyId,
      token_hash: token.hash,
      expires_at: token.expiresAt,
      user_agent: token.userAgent?.slice(0, 500) ?? null,
      ip: token.ip ?? null,
    })
    .returning<{ id: string }[]>('id');
  const id = rows[0]?.id;
  if (!id) throw new Error('refresh token insert returned no row');
  return id;
}

/**
 * Spends a live token in one statement: only one of two concurrent callers can win the UPDATE, so a
 * token is never exchanged twice. Returns undefined when the token is unknown, used, revoked or expired.
 */
export async function consumeRefreshToken(db: Db, hash: string): Promise<RefreshTokenRow | undefined> {
  const rows = await db('refresh_tokens')
    .where({ token_hash: hash })
    .whereNull('used_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning<RefreshTokenRow[]>(columns);
  return rows[0];
}

export function findRefreshToken(db: Db, hash: string): Promise<RefreshTokenRow | undefined> {
  return db('refresh_tokens').where({ token_hash: hash }).first<RefreshTokenRow | undefined>(columns);
}

export async function setReplacedBy(db: Db, id: string, successorId: string): Promise<void> {
  await db('refresh_tokens').where({ id }).update({ replaced_by: successorId });
}

export async function revokeFamily(db: Db, familyId: string): Promise<number> {
  return db('refresh_tokens')
    .where({ family_id: familyId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
}
