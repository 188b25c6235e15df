import { describe, expect, it } from 'vitest';
import { apiKeyMatches, apiKeyPrefix, hashApiKey, newApiKey } from './api-key-secret.js';

describe('API key secrets', () => {
  it('have a visible prefix, 256 random bits, and only their SHA-256 is kept', () => {
    const sut = newApiKey();
    expect(sut.key).toMatch(/^dmk_[a-z2-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(sut.key.startsWith(sut.prefix + '_')).toBe(true);
    expect(sut.prefix).toHaveLength(12);
    expect(sut.secretHash).toBe(hashApiKey(sut.key));
    expect(sut.secretHash).not.toContain(sut.key.slice(13));
    expect(newApiKey().key).not.toBe(sut.key);
  });

  it('match only the exact key', () => {
    const sut = newApiKey();
    expect(apiKeyMatches(sut.key, sut.secretHash)).toBe(true);
    expect(apiKeyMatches(sut.key.slice(0, -1) + (sut.key.endsWith('A') ? 'B' : 'A'), sut.secretHash)).toBe(false);
    expect(apiKeyPrefix(sut.key)).toBe(sut.prefix);
    expect(apiKeyPrefix('dmk_short_x')).toBeUndefined();
    expect(apiKeyPrefix('eyJhbGciOi.x.y')).toBeUndefined();
  });
});
