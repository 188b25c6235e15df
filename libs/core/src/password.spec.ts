import { describe, expect, it } from 'vitest';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './password.js';

/**
 * OWASP Password Storage Cheat Sheet, argon2id: any one of these (memory in KiB, iterations), all
 * with parallelism 1, is an equivalent minimum. A stored hash must meet at least one of them.
 */
const OWASP_ARGON2ID = [
  { m: 47_104, t: 1 },
  { m: 19_456, t: 2 },
  { m: 12_288, t: 3 },
  { m: 9_216, t: 4 },
  { m: 7_168, t: 5 },
] as const;

/** The fields of a PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding). */
function parsePhc(phc: string) {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) throw new Error(`not a PHC argon2 string: ${phc}`);
  const [, algorithm, version, m, t, p, salt, hash] = match;
  return { algorithm, version: Number(version), m: Number(m), t: Number(t), p: Number(p), saltBytes: Buffer.from(salt!, 'base64').length, hashBytes: Buffer.from(hash!, 'base64').length };
}

describe('password hashing (argon2id at OWASP cost)', () => {
  it('stores argon2id v1.3 with parameters that meet an OWASP minimum, read back from the hash itself', async () => {
    const stored = parsePhc(await hashPassword('a long password'));
    expect(stored.algorithm).toBe('argon2id');
    expect(stored.version).toBe(19); // 0x13, argon2 v1.3
    expect(stored.p).toBe(1);
    expect(OWASP_ARGON2ID.some((min) => stored.m >= min.m && stored.t >= min.t), `m=${stored.m},t=${stored.t} is below every OWASP setting`).toBe(true);
    expect(stored.m).toBeGreaterThanOrEqual(19_456); // the setting we chose: 19 MiB, 2 passes
    expect(stored.t).toBeGreaterThanOrEqual(2);
    expect(stored.saltBytes).toBeGreaterThanOrEqual(16); // RFC 9106 recommends 128 bits
    expect(stored.hashBytes).toBeGreaterThanOrEqual(32);
  });

  it('salts every hash afresh, and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hashPassword('the same password'), hashPassword('the same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'the same password')).toBe(true);
    expect(await verifyPassword(a, 'the same passworD')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
    expect(await verifyPassword('not a hash', 'the same password')).toBe(false); // never throws on stored junk
    expect(await verifyPassword(a, 'x'.repeat(MAX_PASSWORD_LENGTH + 1))).toBe(false);
  });

  it('refuses new passwords shorter or longer than the bounds', () => {
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1))).toMatch(/at least/);
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH))).toBeUndefined();
    expect(passwordProblem('x'.repeat(MAX_PASSWORD_LENGTH))).toBeUndefined();
    expect(passwordProblem('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toMatch(/at most/);
  });
});
