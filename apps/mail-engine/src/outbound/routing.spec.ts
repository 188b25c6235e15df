import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../../tools/test-support/fake-dns.js';
import { DnsClient } from '@darwin/core';
import { Router } from './routing.js';

describe('Router (MX resolution through a fake DNS server)', () => {
  let dns: FakeDns;
  let sut: Router;

  beforeAll(async () => {
    dns = await FakeDns.start({
      'pref.example': { MX: [{ priority: 20, exchange: 'backup.pref.example' }, { priority: 10, exchange: 'primary.pref.example' }] },
      'primary.pref.example': { A: ['192.0.2.10'], AAAA: ['2001:db8::10'] },
      'backup.pref.example': { A: ['192.0.2.20'] },
      'a-only.example': { A: ['192.0.2.30'] },
      'nothing.example': {},
      'nullmx.example': { MX: [{ priority: 0, exchange: '.' }] },
      'broken.example': { fail: 'SERVFAIL' },
      'slow.example': { fail: 'TIMEOUT' },
      'dangling.example': { MX: [{ priority: 10, exchange: 'gone.dangling.example' }] },
      'partly.example': { MX: [{ priority: 10, exchange: 'gone.partly.example' }, { priority: 20, exchange: 'ok.partly.example' }] },
      'ok.partly.example': { A: ['192.0.2.40'] },
    });
    sut = new Router({ resolver: new DnsClient({ servers: [dns.server], timeoutMs: 200 }) });
  });

  afterAll(async () => {
    await dns?.close();
  });

  it('orders MX hosts by preference, each with its A then AAAA addresses', async () => {
    expect(await sut.route('pref.example')).toEqual({
      kind: 'hops',
      via: 'mx',
      hops: [
        { host: 'primary.pref.example', port: 25, preference: 10, addresses: ['192.0.2.10', '2001:db8::10'] },
        { host: 'backup.pref.example', port: 25, preference: 20, addresses: ['192.0.2.20'] },
      ],
    });
  });

  it('falls back to the domain A/AAAA records when it has no MX (implicit MX)', async () => {
    expect(await sut.route('a-only.example')).toEqual({ kind: 'hops', via: 'implicit-mx', hops: [{ host: 'a-only.example', port: 25, addresses: ['192.0.2.30'] }] });
  });

  it('fails permanently for a null MX (RFC 7505: 5.1.10), a missing domain (5.1.2) and a domain without any address (5.4.4)', async () => {
    expect(await sut.route('nullmx.example')).toMatchObject({ kind: 'fail', permanent: true, status: '5.1.10' });
    expect(await sut.route('no-such-domain.example')).toMatchObject({ kind: 'fail', permanent: true, status: '5.1.2' });
    expect(await sut.route('nothing.example')).toMatchObject({ kind: 'fail', permanent: true, status: '5.4.4' });
  });

  it('fails temporarily on SERVFAIL, on a DNS timeout, and when no MX host resolves', async () => {
    expect(await sut.route('broken.example')).toMatchObject({ kind: 'fail', permanent: false, status: '4.4.3' });
    const started = Date.now();
    expect(await sut.route('slow.example')).toMatchObject({ kind: 'fail', permanent: false, status: '4.4.3' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await sut.route('dangling.example')).toMatchObject({ kind: 'fail', permanent: false });
  });

  it('skips MX hosts that do not resolve and keeps the others', async () => {
    expect(await sut.route('partly.example')).toMatchObject({ kind: 'hops', hops: [{ host: 'ok.partly.example', addresses: ['192.0.2.40'] }] });
  });

  it('uses the transport map, then the smarthost, instead of DNS; they are the concurrency destination', async () => {
    const lookups: string[] = [];
    const routed = new Router({
      resolver: new DnsClient({ servers: [dns.server], timeoutMs: 200 }),
      transportMap: { 'pref.example': { host: '127.0.0.1', port: 2526 }, 'named.example': { host: 'relay.internal', port: 25 } },
      smarthost: { host: '10.0.0.1', port: 587 },
      lookup: async (host) => {
        lookups.push(host);
        return ['10.9.9.9'];
      },
    });
    expect(await routed.route('pref.example')).toEqual({ kind: 'hops', via: 'transport', hops: [{ host: '127.0.0.1', port: 2526, addresses: ['127.0.0.1'] }] });
    expect(await routed.route('named.example')).toEqual({ kind: 'hops', via: 'transport', hops: [{ host: 'relay.internal', port: 25, addresses: ['10.9.9.9'] }] });
    expect(await routed.route('nullmx.example')).toEqual({ kind: 'hops', via: 'smarthost', hops: [{ host: '10.0.0.1', port: 587, addresses: ['10.0.0.1'] }] });
    expect(lookups).toEqual(['relay.internal']);
    expect(routed.destinationOf('pref.example')).toBe('[127.0.0.1]:2526');
    expect(routed.destinationOf('anything.example')).toBe('[10.0.0.1]:587');
    expect(sut.destinationOf('pref.example')).toBe('pref.example');
  });
});
