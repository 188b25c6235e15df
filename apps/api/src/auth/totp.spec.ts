import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totpAt, verifyTotp } from './totp.js';

// RFC 6238 appendix B (SHA-1 rows) and RFC 4226 appendix D.
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP', () => {
  it('matches the RFC 4226 HOTP test values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(RFC_KEY, i))).toEqual(expected);
  });

  it('matches the RFC 6238 SHA-1 test vectors (8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, code] of vectors) expect(hotp(RFC_KEY, Math.floor(t / 30), 8)).toBe(code);
  });

  it('round-trips base32 (RFC 4648 examples) and refuses other characters', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI======')!.toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi')!.toString()).toBe('foobar');
    expect(base32Decode('MZXW1')).toBeUndefined();
  });

  it('accepts the current code and one step of drift, not two; and each step only once', () => {
    const secret = base32Encode(RFC_KEY);
    const now = 1_800_000_000_000;
    const sut = (code: string, last?: number) => verifyTotp(secret, code, now, last);
    const step = Math.floor(now / 30_000);
    expect(sut(totpAt(secret, now))).toBe(step);
    expect(sut(totpAt(secret, now - 30_000))).toBe(step - 1);
    expect(sut(totpAt(secret, now + 30_000))).toBe(step + 1);
    expect(sut(totpAt(secret, now - 60_000))).toBeUndefined();
    expect(sut(totpAt(secret, now), step)).toBeUndefined(); // replay
    expect(sut(totpAt(secret, now), step - 1)).toBe(step);
    expect(sut('12345')).toBeUndefined();
    expect(sut('abcdef')).toBeUndefined();
  });

  it('builds a Key Uri for authenticator apps', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'ops@example.com', 'Darwin Mail')).toBe(
      'otpauth://totp/Darwin%20Mail:ops%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Darwin%20Mail&algorithm=SHA1&digits=6&period=30',
    );
  });
});
