import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { spoolBuffer } from '@darwin/mail-store';
import { authenticate, dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { verificationInput, verifySender } from './sender-auth.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

/** DNS of the test: a DKIM key, an SPF record and a DMARC policy for signed.example; nothing else. */
const records: Record<string, string[][]> = {
  'TXT sel._domainkey.signed.example': [[`v=DKIM1; k=rsa; p=${publicKey}`]],
  'TXT signed.example': [['v=spf1 ip4:192.0.2.7 -all']],
  'TXT _dmarc.signed.example': [['v=DMARC1; p=quarantine']],
};
const resolver = async (name: string, rrtype: string) => {
  const hit = records[`${rrtype} ${name.toLowerCase()}`];
  if (hit) return hit;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};
const opts = { hostname: 'mx.test', resolver: resolver as never, timeoutMs: 5000 };
const client = { ip: '192.0.2.7', helo: 'mail.signed.example', sender: 'ann@signed.example' };
const body = 'Hello,\r\n\r\n' + 'a line of the body\r\n'.repeat(200);
const unsigned = `From: Ann <ann@signed.example>\r\nTo: bob@mx.test\r\nSubject: plain\r\nMessage-ID: <1@signed.example>\r\n\r\n${body}`;

async function signed(text: string): Promise<string> {
  const { signatures } = await dkimSign(Buffer.from(text), { signatureData: [{ signingDomain: 'signed.example', selector: 'sel', privateKey }] } as never);
  return signatures + text;
}

describe('sender verification input', () => {
  it('hands mailauth only the header block of an unsigned message, and the results are those of the whole message', async () => {
    const m = await spoolBuffer(Buffer.from(unsigned));
    const input = await verificationInput(m);
    expect(Buffer.isBuffer(input) && input.toString()).toBe(unsigned.slice(0, unsigned.indexOf('\r\n\r\n') + 4));
    const whole = await authenticate(Buffer.from(unsigned), { ...client, mta: 'mx.test', resolver: resolver as never, disableBimi: true });
    const ours = await verifySender(m, client, opts);
    expect(ours.headers).toBe(whole.headers);
    expect(ours.summary).toBe('spf=pass dkim=none dmarc=pass arc=none');
  });

  it('reads the whole message when it carries a DKIM signature or an ARC set, so a changed body fails', async () => {
    const good = await signed(unsigned);
    expect((await verificationInput(await spoolBuffer(Buffer.from(good)))).toString()).toBe(good);
    expect((await verifySender(await spoolBuffer(Buffer.from(good)), client, opts)).summary).toBe('spf=pass dkim=pass dmarc=pass arc=none');
    const tampered = good.replace('a line of the body', 'a changed line of the body');
    expect((await verifySender(await spoolBuffer(Buffer.from(tampered)), client, opts)).summary).toMatch(/dkim=(fail|neutral)/);
    const arc = `ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x.example; s=s; b=AAAA\r\n${unsigned}`;
    expect((await verificationInput(await spoolBuffer(Buffer.from(arc)))).toString()).toBe(arc);
  });

  it('streams a signed message over 1 MiB instead of holding it whole', async () => {
    const big = await signed(unsigned + 'x'.repeat(998).concat('\r\n').repeat(1100));
    const input = await verificationInput(await spoolBuffer(Buffer.from(big)));
    expect(input).toBeInstanceOf(Readable);
    expect((await verifySender(await spoolBuffer(Buffer.from(big)), client, opts)).summary).toBe('spf=pass dkim=pass dmarc=pass arc=none');
  });
});
