import type { TestDatabase } from '@darwin/db';

/**
 * An argon2id hash of "correct horse battery" (the tests' password) at the lowest cost argon2
 * allows (m=8 KiB, t=1): checking a password against it takes a fraction of a millisecond where
 * the real policy's hash takes 50-800 ms on a loaded test machine. A test that times a failed
 * login against it therefore measures the failure delay and not argon2. Tests only.
 */
/** The password CHEAP_HASH is a hash of. */
export const CHEAP_PASSWORD = 'correct horse battery';

export const CHEAP_HASH = '$argon2id$v=19$m=8,t=1,p=1$lJShdcGINw39Vc+wp7K24g$xXxhrNiEKfX5D9gONIyAYoM5gRwoUVj7fM137s+dvVM';

/** Gives a seeded mailbox the cheap hash of the same password. */
export async function useCheapHash(db: TestDatabase, mailboxId: string): Promise<void> {
  await db.dataSource.query('UPDATE mailboxes SET password_hash = $2 WHERE id = $1', [mailboxId, CHEAP_HASH]);
}
