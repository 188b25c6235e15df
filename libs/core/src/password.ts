import { hash, verify } from '@node-rs/argon2';

/**
 * OWASP's argon2id recommendation (Password Storage Cheat Sheet): m=19 MiB, t=2, p=1.
 * Set explicitly so a library default change cannot weaken stored hashes.
 */
export const PASSWORD_POLICY = {
  algorithm: 2, // Argon2id; the package's enum is a const enum, which isolated builds cannot inline
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MIN_PASSWORD_LENGTH = 10;
/** argon2 accepts long inputs, but an unbounded password is a cheap way to burn our CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_POLICY);
}

/** False for a wrong password and for a malformed hash; never throws on user input. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}
