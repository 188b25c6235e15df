import { generateKeyPairSync } from 'node:crypto';
import { spoolBuffer } from '@darwin/mail-store';
import { dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { SenderAuthCache, senderAuthKey } from './sender-auth-cache.js';
import { verifySender } from './sender-auth.js';

const client = { ip: '192.0.2.7', helo: 'mail.signed.example', sender: 'ann@signed.example' };
const head = (from: string) => Buffer.from(`${from}Subject: hi\r\nTo: bob@mx.test\r\n\r\n`);

describe('senderAuthKey', () => {
  it('tells clients and From fields apart byte for byte, and ignores the rest of the header', () => {
    const base = senderAuthKey(client, head('From: Ann <ann@signed.example>\r\n'));
    expect(base).toBeDefined();
    expect(senderAuthKey(client, Buffer.from('X-Other: 1\r\nFrom: Ann <ann@signed.example>\r\nSubject: other\r\n\r\n'))).toBe(base);
    for (const other of [
      senderAuthKey({ ...client, ip: '192.0.2.8' }, head('From: Ann <ann@signed.example>\r\n')),
      senderAuthKey({ ...client, helo: 'x.example' }, head('From: Ann <ann@signed.example>\r\n')),
      senderAuthKey({ ...client, sender: 'bob@signed.example' }, head('From: Ann <ann@signed.example>\r\n')),
      senderAuthKey(client, head('From: Ann <ann@evil.example>\r\n')),
      senderAuthKey(client, head('From: Ann\r\n <ann@evil.example>\r\n')),
      senderAuthKey(client, head('FROM : Ann <ann@signed.example>\r\n')),
      senderAuthKey(client, head('From: Ann <ann@signed.example>\r\nFrom: eve@evil.example\r\n')),
      senderAuthKey(client, head('')),
    ]) {
      expect(other).not.toBe(base);
    }
    // A long display name does not hide what follows it: too long is no key at all.
    expect(senderAuthKey(client, head(`From: "${'a'.repeat(5000)}" <ann@signed.example>\r\n`))).toBeUndefined();
  });
});

describe('SenderAuthCache', () => {
  it('keeps results for its ttl and within its size', () => {
    let t = 0;
    const c = new SenderAuthCache(1_000, 3, () => t);
    const r = { headers: 'x', timedOut: false, summary: 's' };
    c.set('a', r);
    expect(c.get('a')).toBe(r);
    t = 1_000;
    expect(c.get('a')).toBeUndefined();
    for (const k of ['b', 'c', 'd', 'e']) c.set(k, r);
    expect(c.size).toBeLessThanOrEqual(3);
  });
});

describe('verifySender with a cache', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let failing = false;
  const asked: string[] = [];
  const resolver = async (name: string, rrtype: string) => {
    asked.push(`${rrtype} ${name}`);
    if (failing) throw Object.assign(new Error(`queryTxt ETIMEOUT ${name}`), { code: 'ETIMEOUT' });
    const zone: Record<string, string[][]> = {
      'TXT sel._domainkey.signed.example': [[`v=DKIM1; k=rsa; p=${publicKey}`]],
      'TXT signed.example': [['v=spf1 ip4:192.0.2.7 -all']],
      'TXT _dmarc.signed.example': [['v=DMARC1; p=reject']],
    };
    const hit = zone[`${rrtype} ${name.toLowerCase()}`];
    if (hit) return hit;
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  const message = (from: string, subject = 'hi') => Buffer.from(`From: ${from}\r\nTo: bob@mx.test\r\nSubject: ${subject}\r\n\r\nbody\r\n`);

  it('verifies a client and From once, reuses the result (other subjects too), and not for another From or a signed message', async () => {
    const cache = new SenderAuthCache();
    const opts = { hostname: 'mx.test', resolver: resolver as never, timeoutMs: 5000, cache };
    const first = await verifySender(await spoolBuffer(message('ann@signed.example')), client, opts);
    expect(first.summary).toBe('spf=pass dkim=none dmarc=pass arc=none');
    asked.length = 0;
    const again = await verifySender(await spoolBuffer(message('ann@signed.example', 'another')), client, opts);
    expect(again).toBe(first);
    expect(asked).toEqual([]);
    const forged = await verifySender(await spoolBuffer(message('boss@elsewhere.example')), client, opts);
    expect(forged.summary).not.toBe(first.summary);
    expect(asked.length).toBeGreaterThan(0);
    const text = message('ann@signed.example', 'signed').toString();
    const { signatures } = await dkimSign(Buffer.from(text), { signatureData: [{ signingDomain: 'signed.example', selector: 'sel', privateKey }] } as never);
    const size = cache.size;
    asked.length = 0;
    const signed = await verifySender(await spoolBuffer(Buffer.from(signatures + text)), client, opts);
    expect(signed.summary).toBe('spf=pass dkim=pass dmarc=pass arc=none');
    expect(asked).toContain('TXT sel._domainkey.signed.example');
    expect(cache.size).toBe(size);
  });

  it('does not keep a temporary error', async () => {
    const cache = new SenderAuthCache();
    const opts = { hostname: 'mx.test', resolver: resolver as never, timeoutMs: 5000, cache };
    failing = true;
    try {
      expect((await verifySender(await spoolBuffer(message('ann@signed.example')), client, opts)).headers).toMatch(/temperror/);
    } finally {
      failing = false;
    }
    expect(cache.size).toBe(0);
    expect((await verifySender(await spoolBuffer(message('ann@signed.example')), client, opts)).summary).toBe('spf=pass dkim=none dmarc=pass arc=none');
    expect(cache.size).toBe(1);
  });
});
