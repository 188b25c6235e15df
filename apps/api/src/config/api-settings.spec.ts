import { describe, expect, it } from 'vitest';
import { ConfigError } from '@darwin/config';
import { loadApiSettings } from './api-settings.js';

describe('API settings', () => {
  it('has defaults for everything', () => {
    const sut = loadApiSettings({});
    expect(sut).toEqual({
      refreshTokenTtlMs: 30 * 86_400_000,
      operatorTotp: 'optional',
      maxQueryDepth: 10,
      maxQueryCost: 20000,
      subscriptionRecheckMs: 30_000,
      trustProxy: 'loopback',
      impersonationTtlMs: 3_600_000,
      statsIntervalMs: 300_000,
    });
  });

  it('parses given values', () => {
    const sut = loadApiSettings({ DARWIN_API_MAX_QUERY_DEPTH: '7', DARWIN_OPERATOR_TOTP: 'required', DARWIN_REFRESH_TOKEN_TTL: '2h' });
    expect(sut.maxQueryDepth).toBe(7);
    expect(sut.operatorTotp).toBe('required');
    expect(sut.refreshTokenTtlMs).toBe(7_200_000);
    expect(loadApiSettings({ DARWIN_API_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
    expect(() => loadApiSettings({ DARWIN_API_TRUST_PROXY: 'everyone' })).toThrow(/DARWIN_API_TRUST_PROXY/);
    expect(loadApiSettings({ DARWIN_API_TRUST_PROXY: 'none' }).trustProxy).toBe('');
    // An impersonation lasts DARWIN_IMPERSONATION_TTL, and never more than an hour.
    expect(loadApiSettings({ DARWIN_IMPERSONATION_TTL: '10m' }).impersonationTtlMs).toBe(600_000);
    expect(loadApiSettings({ DARWIN_IMPERSONATION_TTL: '12h' }).impersonationTtlMs).toBe(3_600_000);
    expect(loadApiSettings({ DARWIN_API_STATS_INTERVAL: '30s' }).statsIntervalMs).toBe(30_000);
  });

  it('names every bad variable with the form it expects', () => {
    try {
      loadApiSettings({ DARWIN_API_MAX_QUERY_COST: 'lots', DARWIN_OPERATOR_TOTP: 'always' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/DARWIN_API_MAX_QUERY_COST: expected an integer from 10 to 10000000, got "lots"/);
      expect((err as Error).message).toMatch(/DARWIN_OPERATOR_TOTP: expected one of optional, required, got "always"/);
    }
  });
});
