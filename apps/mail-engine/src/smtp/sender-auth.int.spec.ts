import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SeededMailbox } from '@darwin/db';
import { authenticate, dkimSign } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { createMxServer } from './server.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/** SPF, DKIM, DMARC verification on the MX, against a fake DNS server. */
describe('sender verification (mailauth) on the MX', () => {
  let f: SmtpFixture;
  let rcpt: SeededMailbox;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  async function deliver(from: string, message: string, port = f.ports.mx): Promise<string> {
    const c = await LineClient.open(port);
    try {
      await c.reply();
      await c.command('EHLO mail.sender.example');
      expect(await c.command(`MAIL FROM:<${from}>`)).toMatch(/^250 /);
      expect(await c.command('RCPT TO:<inbox@auth.test>')).toMatch(/^250 /);
      await c.command('DATA');
      return await c.command(message.replace(/\r?\n/g, '\r\n') + '\r\n.');
    } finally {
      c.close();
    }
  }

  const stored = async (subject: string) => (await f.inbox(rcpt.mailboxId)).find((m) => m.includes(`Subject: ${subject}`));

  beforeAll(async () => {
    f = await startSmtpFixture({ DARWIN_DNS_TIMEOUT: '300ms', DARWIN_SMTP_CHECK_TIMEOUT: '2s' });
    rcpt = await f.mailbox('inbox@auth.test');
    f.dns
      .set('signed.example', { TXT: ['v=spf1 ip4:127.0.0.1 -all'] })
      .set('_dmarc.signed.example', { TXT: ['v=DMARC1; p=reject'] })
      .set('sel._domainkey.signed.example', { TXT: [`v=DKIM1; k=rsa; p=${publicKey}`] })
      .set('strict.example', { TXT: ['v=spf1 ip4:192.0.2.1 -all'] })
      .set('_dmarc.strict.example', { TXT: ['v=DMARC1; p=reject'] })
      .set('relaxed.example', { TXT: ['v=spf1 ip4:192.0.2.1 -all'] })
      .set('_dmarc.relaxed.example', { TXT: ['v=DMARC1; p=none'] })
      .set('slow.example', { fail: 'TIMEOUT' })
      .set('_dmarc.slow.example', { fail: 'TIMEOUT' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('adds an Authentication-Results header with dkim, spf and dmarc pass for a signed message; the signature still verifies after our headers', async () => {
    const original = 'From: Ann <ann@signed.example>\r\nTo: inbox@auth.test\r\nSubject: signed\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@signed.example>\r\n\r\nSigned body.\r\n';
    const { signatures } = await dkimSign(Buffer.from(original), { signatureData: [{ signingDomain: 'signed.example', selector: 'sel', privateKey }] } as never);
    expect(signatures).toMatch(/^DKIM-Signature: /);
    expect(await deliver('ann@signed.example', signatures + original)).toMatch(/^250 /);
    const m = (await stored('signed'))!;
    const ar = /^Authentication-Results: mx\.darwin\.test;\r\n(?: .*\r\n)+/m.exec(m)![0];
    // Seen once in CI (not reproduced in 3,000 runs): dkim=fail (bad signature). The DNS questions,
    // the key served and the stored bytes are in the failure message, to tell DNS from bytes.
    const why = JSON.stringify({ queries: f.dns.queries, key: f.dns.get('sel._domainkey.signed.example'), sent: signatures + original, stored: m });
    expect(ar, why).toMatch(/dkim=pass header\.i=@signed\.example/);
    expect(ar).toMatch(/spf=pass .*smtp\.mailfrom=ann@signed\.example/);
    expect(ar).toMatch(/dmarc=pass .*header\.from=signed\.example/);
    // An independent mailauth run over the stored message agrees, so our headers broke nothing.
    const again = await authenticate(Buffer.from(m), { ip: '127.0.0.1', helo: 'mail.sender.example', sender: 'ann@signed.example', mta: 'check.test', resolver: f.services.resolver as never, disableBimi: true });
    expect(again.dkim.results.map((r) => r.status.result)).toEqual(['pass']);
    expect(again.spf && again.spf.status.result).toBe('pass');
    expect(again.dmarc && again.dmarc.status.result).toBe('pass');
  });

  it("rejects a DMARC failure (550 5.7.1) when the domain's policy is p=reject, and stores nothing", async () => {
    expect(await deliver('boss@strict.example', 'From: boss@strict.example\nSubject: phish\n\nsend money\n')).toBe(
      '550 5.7.1 Message rejected: it fails DMARC and the policy of strict.example is to reject such mail\r\n',
    );
    expect(await stored('phish')).toBeUndefined();
  });

  it('accepts a DMARC failure under p=none and says so; p=reject is honoured only while configured', async () => {
    expect(await deliver('news@relaxed.example', 'From: news@relaxed.example\nSubject: relaxed\n\nhi\n')).toMatch(/^250 /);
    expect(await stored('relaxed')).toMatch(/^Authentication-Results: mx\.darwin\.test;\r\n dkim=none .*\r\n spf=fail [^]*\r\n dmarc=fail \(p=NONE/m);
    const lenient = createMxServer({ ...f.ctx, config: { ...f.ctx.config, smtpDmarcReject: false } }, f.services);
    await new Promise<void>((r) => lenient.listen(0, '127.0.0.1', r));
    try {
      expect(await deliver('boss@strict.example', 'From: boss@strict.example\nSubject: allowed through\n\nx\n', (lenient.server.address() as AddressInfo).port)).toMatch(/^250 /);
      expect(await stored('allowed through')).toMatch(/dmarc=fail .*p=REJECT/);
    } finally {
      await new Promise<void>((r) => lenient.close(() => r()));
    }
  });

  it('drops Authentication-Results headers that claim to be ours and keeps others', async () => {
    const forged = 'Authentication-Results: mx.darwin.test; dkim=pass; spf=pass; dmarc=pass\nAuthentication-Results: upstream.example; spf=pass\nFrom: x@relaxed.example\nSubject: forged ar\n\nbody\n';
    expect(await deliver('x@relaxed.example', forged)).toMatch(/^250 /);
    const m = (await stored('forged ar'))!;
    expect(m.match(/^Authentication-Results: mx\.darwin\.test;/gm)).toHaveLength(1);
    expect(m).not.toContain('mx.darwin.test; dkim=pass; spf=pass; dmarc=pass');
    expect(m).toContain('Authentication-Results: upstream.example; spf=pass');
  });

  it('does not wait for DNS that never answers: the lookups time out and the result says temperror', async () => {
    const t = Date.now();
    expect(await deliver('someone@slow.example', 'From: someone@slow.example\nSubject: slow dns\n\nx\n')).toMatch(/^250 /);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(await stored('slow dns')).toMatch(/spf=temperror/);
  });
});
