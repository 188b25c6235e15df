import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../tools/test-support/fake-dns.js';

describe('the fake DNS server used by the DNS onboarding tests', () => {
  let dns: FakeDns;
  let resolver: Resolver;
  beforeAll(async () => {
    dns = await FakeDns.start();
    resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.server]);
  });
  afterAll(async () => {
    await dns?.close();
  });

  it('answers MX, TXT (long ones split into strings), CNAME; NXDOMAIN and NODATA like a real server', async () => {
    const long = `v=DKIM1; k=rsa; p=${'A'.repeat(400)}`;
    dns.set('acme.example', { MX: [{ priority: 10, exchange: 'mx.darwin.test' }], TXT: ['v=spf1 mx -all'] });
    dns.set('sel._domainkey.acme.example', { TXT: [long] });
    dns.set('autoconfig.acme.example', { CNAME: 'mx.darwin.test' });
    expect(await resolver.resolveMx('acme.example')).toEqual([{ priority: 10, exchange: 'mx.darwin.test' }]);
    expect(await resolver.resolveTxt('acme.example')).toEqual([['v=spf1 mx -all']]);
    const txt = await resolver.resolveTxt('sel._domainkey.acme.example');
    expect(txt[0]!.join('')).toBe(long);
    expect(txt[0]!.length).toBe(2);
    expect(await resolver.resolveCname('autoconfig.acme.example')).toEqual(['mx.darwin.test']);
    await expect(resolver.resolveTxt('nothing.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolveMx('autoconfig.acme.example')).rejects.toMatchObject({ code: 'ENODATA' });
  });
});
