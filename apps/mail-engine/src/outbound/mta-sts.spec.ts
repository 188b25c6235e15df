import { DnsError } from '@darwin/core';
import { describe, expect, it } from 'vitest';
import { MtaStsResolver, mxMatches, parsePolicy, policyId } from './mta-sts.js';

const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.backup.example.com\r\nmax_age: 604800\r\n';

describe('MTA-STS policy parts (RFC 8461)', () => {
  it('parses a policy and refuses what is not one', () => {
    expect(parsePolicy(POLICY)).toEqual({ mode: 'enforce', mx: ['mail.example.com', '*.backup.example.com'], maxAgeSeconds: 604800 });
    expect(parsePolicy('version: STSv1\nmode: testing\nmx: a.example\nmax_age: 99999999999\n')).toBeUndefined();
    expect(parsePolicy('version: STSv1\nmode: testing\nmx: a.example\nmax_age: 40000000\n')?.maxAgeSeconds).toBe(31_557_600);
    expect(parsePolicy('version: STSv1\nmode: none\nmax_age: 86400\n')).toEqual({ mode: 'none', mx: [], maxAgeSeconds: 86400 });
    for (const bad of ['version: STSv2\nmode: enforce\nmx: a\nmax_age: 1', 'version: STSv1\nmode: strict\nmx: a\nmax_age: 1', 'version: STSv1\nmode: enforce\nmax_age: 1', 'version: STSv1\nmode: enforce\nmx: a\nmax_age: -5', '<html>not found</html>']) {
      expect(parsePolicy(bad)).toBeUndefined();
    }
  });

  it('matches MX hosts exactly or by one leftmost label', () => {
    const p = ['mail.example.com', '*.backup.example.com'];
    expect(mxMatches(p, 'MAIL.example.com.')).toBe(true);
    expect(mxMatches(p, 'mx1.backup.example.com')).toBe(true);
    expect(mxMatches(p, 'a.mx1.backup.example.com')).toBe(false);
    expect(mxMatches(p, 'backup.example.com')).toBe(false);
    expect(mxMatches(p, 'evil.example.net')).toBe(false);
  });

  it('reads the id of exactly one STSv1 TXT record', () => {
    expect(policyId([['v=STSv1; id=20261126T1;']])).toBe('20261126T1');
    expect(policyId([['v=STSv1; ', 'id=abc']])).toBe('abc');
    expect(policyId([['v=spf1 -all'], ['v=STSv1; id=x1']])).toBe('x1');
    expect(policyId([['v=STSv1; id=a'], ['v=STSv1; id=b']])).toBeUndefined();
    expect(policyId([['v=STSv1; id=not-alnum!']])).toBeUndefined();
  });
});

describe('MtaStsResolver', () => {
  function setup() {
    let t = 0;
    const state = { txt: [['v=STSv1; id=one']] as string[][] | DnsError, policy: POLICY as string | Error, fetches: 0 };
    const r = new MtaStsResolver({
      txt: async () => {
        if (state.txt instanceof DnsError) throw state.txt;
        return state.txt;
      },
      fetch: async () => {
        state.fetches++;
        if (state.policy instanceof Error) throw state.policy;
        return state.policy;
      },
      now: () => t,
    });
    return { r, state, advance: (ms: number) => (t += ms) };
  }

  it('fetches a policy once per id and max_age, and again when the id changes', async () => {
    const { r, state, advance } = setup();
    expect((await r.policy('example.com'))?.mode).toBe('enforce');
    expect(await r.policy('Example.COM')).toBeDefined();
    expect(state.fetches).toBe(1);
    state.txt = [['v=STSv1; id=two']];
    state.policy = POLICY.replace('enforce', 'testing');
    expect((await r.policy('example.com'))?.mode).toBe('testing');
    expect(state.fetches).toBe(2);
    advance(604_800_000);
    await r.policy('example.com');
    expect(state.fetches).toBe(3);
  });

  it('keeps a valid cached policy when the record disappears or the fetch fails; without one there is no policy', async () => {
    const { r, state, advance } = setup();
    await r.policy('example.com');
    state.txt = new DnsError('gone', 'ENOTFOUND');
    expect((await r.policy('example.com'))?.mode).toBe('enforce');
    state.txt = new DnsError('slow', 'ETIMEOUT');
    expect((await r.policy('example.com'))?.mode).toBe('enforce');
    state.txt = [['v=STSv1; id=three']];
    state.policy = new Error('blocked by an attacker');
    expect((await r.policy('example.com'))?.mode).toBe('enforce');
    advance(604_800_001);
    expect(await r.policy('example.com')).toBeUndefined();
    state.txt = new DnsError('gone', 'ENOTFOUND');
    expect(await r.policy('other.example')).toBeUndefined();
  });
});
