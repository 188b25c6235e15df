import { describe, expect, it } from 'vitest';
import { dkimPublicKeyValue, generateDkimKey, importDkimKey, normalizeSelector, defaultSelector } from '../dkim/dkim-key.js';
import { expectedRecords } from './expected-records.js';

describe('expected DNS records', () => {
  it('gives exact values for MX, SPF, DKIM, DMARC and the optional ones', async () => {
    const key = await generateDkimKey();
    const sut = expectedRecords({ domain: 'acme.example', hostname: 'mx.darwin.test', dkim: { selector: 'dm20261126', publicKeyPem: key.publicKeyPem } });
    const byKind = Object.fromEntries(sut.map((r) => [r.kind, r]));
    expect(byKind.MX).toMatchObject({ type: 'MX', name: 'acme.example', value: '10 mx.darwin.test.', required: true });
    expect(byKind.SPF).toMatchObject({ type: 'TXT', name: 'acme.example', value: 'v=spf1 mx a:mx.darwin.test -all', required: true });
    expect(byKind.DKIM).toMatchObject({ type: 'TXT', name: 'dm20261126._domainkey.acme.example', required: true });
    expect(byKind.DKIM!.value).toBe(`v=DKIM1; k=rsa; p=${dkimPublicKeyValue(key.publicKeyPem)}`);
    expect(byKind.DMARC).toMatchObject({ name: '_dmarc.acme.example', value: 'v=DMARC1; p=quarantine; adkim=r; aspf=r', required: true });
    expect(byKind.MTA_STS!.value).toMatch(/^v=STSv1; id=[0-9a-f]{20}$/);
    expect(byKind.TLS_RPT).toMatchObject({ name: '_smtp._tls.acme.example', value: 'v=TLSRPTv1; rua=mailto:postmaster@acme.example', required: false });
    expect(byKind.AUTOCONFIG).toMatchObject({ type: 'CNAME', name: 'autoconfig.acme.example', value: 'mx.darwin.test.', required: false });
    expect(byKind.AUTODISCOVER).toMatchObject({ type: 'CNAME', name: 'autodiscover.acme.example', value: 'mx.darwin.test.' });
  });
});

describe('DKIM keys', () => {
  it('generates RSA 2048 and publishes the DER SPKI in base64', async () => {
    const key = await generateDkimKey();
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const p = dkimPublicKeyValue(key.publicKeyPem);
    // A 2048-bit SPKI is 294 bytes: 392 base64 characters.
    expect(p).toHaveLength(392);
    expect(importDkimKey(key.privateKeyPem).publicKeyPem).toBe(key.publicKeyPem);
  });

  it('refuses keys that are not usable RSA private keys', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const small = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const bad of ['not a key', ec, small, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----']) {
      expect(() => importDkimKey(bad)).toThrow(/Invalid DKIM private key/);
    }
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(importDkimKey(pkcs1).privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('checks selectors and picks a new one on rotation', () => {
    expect(normalizeSelector(' Mail2026 ')).toBe('mail2026');
    expect(() => normalizeSelector('a.b')).toThrow();
    expect(() => normalizeSelector('-x')).toThrow();
    const now = new Date('2026-11-26T10:20:30Z');
    expect(defaultSelector(now, null)).toBe('dm20261126');
    expect(defaultSelector(now, 'dm20261126')).toBe('dm20261126102030');
  });
});
