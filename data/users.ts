import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
}

const columns = ['id', 'email', 'name', 'created_at as createdAt'];

/** Throws unique_violation (users_email_lower_unique) when the email is taken: the index decides, not a racy pre-check. */
export async function insertUser(
  db: Db,
  user: { email: string; name: string; passwordHash: string },
): Promise<UserRow> {
  const rows = await db('users')
    .insert({ email: user.email, name: user.name, password_hash: user.passwordHash })
    .returning<UserRow[]>(columns);
  const row = rows[0];
  if (!row) throw new Error('user insert returned no row');
  return row;
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db('users').where({ id }).first<UserRow | undefined>(columns);
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db('users').whereRaw('lower(email) = ?', [email.toLowerCase()]).first<UserRow | undefined>(columns);
}

export function findCredentialsByEmail(
  db: Db,
  email: string,
): Promise<(UserRow & { passwordHash: string }) | undefined> {
  return db('users')
    .whereRaw('lower(email) = ?', [email.toLowerCase()])
    .first<(UserRow & { passwordHash: string }) | undefined>([...columns, 'password_hash as passwordHash']);
}
