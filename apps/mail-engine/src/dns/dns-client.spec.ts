import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsResolver } from './dns-resolver.js';
import { FakeDns } from './testing/fake-dns.js';

describe('createDnsResolver (against the fake DNS server)', () => {
  let dns: FakeDns;
  beforeAll(async () => {
    dns = await new FakeDns()
      .set('a.test', 'TXT', ['v=spf1 -all', 'k'.repeat(600)])
      .set('a.test', 'MX', [{ priority: 10, exchange: 'mx.a.test' }])
      .set('mx.a.test', 'A', ['127.0.0.1'])
      .set('mx.a.test', 'AAAA', ['::1'])
      .silence('slow.test')
      .start();
  });
  afterAll(() => dns.stop());

  it('answers TXT (long ones over TCP), MX, A and AAAA', async () => {
    const sut = createDnsResolver({ servers: [dns.server], timeoutMs: 1000 });
    expect(await sut('a.test', 'TXT')).toEqual([['v=spf1 -all'], ['k'.repeat(255), 'k'.repeat(255), 'k'.repeat(90)]]);
    expect(await sut('A.TEST.', 'MX')).toEqual([{ priority: 10, exchange: 'mx.a.test' }]);
    expect(await sut('mx.a.test', 'A')).toEqual(['127.0.0.1']);
    expect(await sut('mx.a.test', 'AAAA')).toEqual(['::1']);
  });

  it('reports NXDOMAIN and NODATA, and caches them', async () => {
    const sut = createDnsResolver({ servers: [dns.server], timeoutMs: 1000 });
    await expect(sut('none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(sut('a.test', 'A')).rejects.toMatchObject({ code: 'ENODATA' });
    const before = dns.queries.length;
    await expect(sut('none.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await sut('a.test', 'MX');
    await sut('a.test', 'MX');
    expect(dns.queries.length).toBe(before + 1);
  });

  it('gives up after the time limit when the server does not answer', async () => {
    const sut = createDnsResolver({ servers: [dns.server], timeoutMs: 300 });
    const t = Date.now();
    await expect(sut('slow.test', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
