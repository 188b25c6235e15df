import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../../tools/test-support/fake-dns.js';
import { cachedResolve } from './cached-resolve.js';
import { DnsClient } from '@darwin/core';

describe('the DNS client and its cached resolver hook (against the fake DNS server)', () => {
  let dns: FakeDns;
  beforeAll(async () => {
    dns = (await FakeDns.start())
      .set('a.test', { TXT: ['v=spf1 -all', 'k'.repeat(600)], MX: [{ priority: 10, exchange: 'mx.a.test' }] })
      .set('mx.a.test', { A: ['127.0.0.1'], AAAA: ['::1'] })
      .set('broken.test', { fail: 'SERVFAIL' })
      .set('slow.test', { fail: 'TIMEOUT' });
  });
  afterAll(() => dns.close());

  const senderChecks = (timeoutMs: number) => cachedResolve(new DnsClient({ servers: [dns.server], timeoutMs, strict: true }));

  it('answers TXT (long ones over TCP), MX, A and AAAA', async () => {
    const sut = senderChecks(1000);
    expect(await sut('a.test', 'TXT')).toEqual([['v=spf1 -all'], ['k'.repeat(255), 'k'.repeat(255), 'k'.repeat(90)]]);
    expect(await sut('A.TEST.', 'MX')).toEqual([{ priority: 10, exchange: 'mx.a.test' }]);
    expect(await sut('mx.a.test', 'A')).toEqual(['127.0.0.1']);
    expect(await sut('mx.a.test', 'AAAA')).toEqual(['::1']);
  });

  it('reports NXDOMAIN and NODATA, and caches them', async () => {
    const sut = senderChecks(1000);
    await expect(sut('none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(sut('a.test', 'A')).rejects.toMatchObject({ code: 'ENODATA' });
    const before = dns.queries.length;
    await expect(sut('none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await sut('a.test', 'MX');
    await sut('a.test', 'MX');
    expect(dns.queries.length).toBe(before + 1);
  });

  it('gives up after the time limit when the server does not answer', async () => {
    const sut = senderChecks(300);
    const t = Date.now();
    await expect(sut('slow.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('types its failures: NXDOMAIN, NODATA, SERVFAIL and TIMEOUT', async () => {
    const client = new DnsClient({ servers: [dns.server], timeoutMs: 300, strict: true });
    expect(await client.txt('a.test')).toEqual([['v=spf1 -all'], ['k'.repeat(255), 'k'.repeat(255), 'k'.repeat(90)]]);
    await expect(client.mx('none.test')).rejects.toMatchObject({ name: 'DnsError', kind: 'NXDOMAIN', code: 'ENOTFOUND', missing: true });
    await expect(client.a('a.test')).rejects.toMatchObject({ kind: 'NODATA', code: 'ENODATA', missing: true });
    await expect(client.aaaa('broken.test')).rejects.toMatchObject({ kind: 'SERVFAIL', code: 'ESERVFAIL', missing: false });
    await expect(client.mx('slow.test')).rejects.toMatchObject({ kind: 'TIMEOUT', code: 'ETIMEOUT', missing: false });
  });
});
