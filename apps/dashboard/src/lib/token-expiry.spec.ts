import { describe, expect, it } from 'vitest';
import { isSpent, needsRefresh } from './token-expiry';

const token = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('needsRefresh', () => {
  const now = 1_800_000_000_000;
  const iat = now / 1000;

  it('keeps a fresh one-hour token and renews it in its last five minutes', () => {
    expect(needsRefresh(token({ iat, exp: iat + 3600 }), now)).toBe(false);
    expect(needsRefresh(token({ iat, exp: iat + 3600 }), now + 3290_000)).toBe(false);
    expect(needsRefresh(token({ iat, exp: iat + 3600 }), now + 3310_000)).toBe(true);
  });

  it('uses a quarter of the life for short tokens, at least thirty seconds', () => {
    expect(needsRefresh(token({ iat, exp: iat + 120 }), now + 85_000)).toBe(false);
    expect(needsRefresh(token({ iat, exp: iat + 120 }), now + 95_000)).toBe(true);
    expect(needsRefresh(token({ iat, exp: iat + 60 }), now + 29_000)).toBe(false);
    expect(needsRefresh(token({ iat, exp: iat + 60 }), now + 31_000)).toBe(true);
  });

  it('renews what it cannot read', () => {
    for (const bad of [undefined, '', 'garbage', 'a.b.c', token({ exp: 'soon' })]) expect(needsRefresh(bad, now)).toBe(true);
  });
});

describe('isSpent', () => {
  const now = 1_800_000_000_000;
  const iat = now / 1000;

  it('keeps an impersonation token until a few seconds before its end, and drops what it cannot read', () => {
    expect(isSpent(token({ iat, exp: iat + 3600 }), now)).toBe(false);
    expect(isSpent(token({ iat, exp: iat + 3600 }), now + 3594_000)).toBe(false);
    expect(isSpent(token({ iat, exp: iat + 3600 }), now + 3596_000)).toBe(true);
    for (const bad of [undefined, '', 'garbage', token({ exp: 'soon' })]) expect(isSpent(bad, now)).toBe(true);
  });
});
