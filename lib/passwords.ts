import { hash, verify } from '@node-rs/argon2';

// argon2id with the OWASP minimum parameters (19 MiB, 2 passes, 1 lane). Algorithm is a const enum in the
// typings, which isolatedModules cannot inline, so the numeric value (Argon2id = 2) is spelled out.
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed login, not a 500
  }
}

let dummyHash: Promise<string> | null = null;

/** Verifies against a throwaway hash so an unknown email costs as much time as a wrong password. */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy password that never matches anything');
  await verifyPassword(await dummyHash, password);
}
