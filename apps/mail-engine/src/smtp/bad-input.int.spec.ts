import type { SeededMailbox } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/** The "Bad input" list of the SMTP issue, each over a raw socket; none may crash or store anything. */
describe('SMTP bad input', () => {
  let f: SmtpFixture;
  let alice: SeededMailbox;

  beforeAll(async () => {
    f = await startSmtpFixture({
      DARWIN_SMTP_TIMEOUT: '1s',
      DARWIN_SMTP_MAX_ERRORS: '5',
      DARWIN_SMTP_MAX_LINE: '1K',
      DARWIN_SMTP_MAX_RECIPIENTS: '3',
      DARWIN_MAX_MESSAGE_BYTES: '8K',
    });
    alice = await f.mailbox('alice@bad.test');
    await f.mailbox('bob@bad.test');
    await f.mailbox('carol@bad.test');
    await f.mailbox('dave@bad.test');
  });

  afterAll(async () => {
    // The process is still healthy: a clean delivery works after all of the below, and nothing else was stored.
    const c = await LineClient.open(f.ports.mx);
    await c.reply();
    await c.command('EHLO after.example');
    await c.command('MAIL FROM:<ok@remote.example>');
    await c.command('RCPT TO:<alice@bad.test>');
    await c.command('DATA');
    expect(await c.command('Subject: still alive\r\n\r\nok\r\n.')).toMatch(/^250 /);
    c.close();
    const rows = await f.query<{ subject: string }>('SELECT subject FROM messages');
    expect(rows.map((r) => r.subject)).toEqual(['still alive']);
    const [{ n }] = await f.query<{ n: number }>('SELECT count(*)::int AS n FROM outbound_queue');
    expect(n).toBe(0);
    await f?.close();
  });

  async function greeted(port = f.ports.mx): Promise<LineClient> {
    const c = await LineClient.open(port);
    expect(await c.reply()).toMatch(/^220 /);
    return c;
  }

  for (const listener of ['mx', 'submission'] as const) {
    it(`discards commands pipelined after STARTTLS (CVE-2011-0411) on the ${listener} port`, async () => {
      const c = await greeted(f.ports[listener]);
      try {
        await c.command('EHLO client.example');
        c.write('STARTTLS\r\nRSET\r\nMAIL FROM:<injected@evil.example>\r\nRCPT TO:<alice@bad.test>\r\n');
        expect(await c.reply()).toMatch(/^220 /);
        await c.upgrade();
        // The first reply in TLS is the one to our EHLO: nothing injected was answered or kept.
        const ehlo = await c.command('EHLO client.example');
        expect(ehlo).toMatch(/^250-mx\.darwin\.test/);
        expect(c.pending).toBe('');
        if (listener === 'mx') expect(await c.command('RCPT TO:<alice@bad.test>')).toMatch(/^503 /);
        else expect(ehlo).toContain('AUTH PLAIN LOGIN');
      } finally {
        c.close();
      }
    });
  }

  it('answers an over-long command line with 500 5.5.2 and closes', async () => {
    const c = await greeted();
    try {
      await c.command('EHLO client.example');
      expect(await c.command(`MAIL FROM:<${'a'.repeat(2000)}@remote.example>`)).toBe('500 5.5.2 Line too long\r\n');
      await c.waitClosed();
    } finally {
      c.close();
    }
    // Also when the line never ends.
    const d = await greeted();
    try {
      d.write('NOOP ' + 'x'.repeat(3000));
      expect(await d.reply()).toBe('500 5.5.2 Line too long\r\n');
      await d.waitClosed();
    } finally {
      d.close();
    }
  });

  it('refuses recipients past the limit with 452 4.5.3', async () => {
    const c = await greeted();
    try {
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<many@remote.example>');
      for (const r of ['alice', 'bob', 'carol']) expect(await c.command(`RCPT TO:<${r}@bad.test>`)).toMatch(/^250 /);
      expect(await c.command('RCPT TO:<dave@bad.test>')).toBe('452 4.5.3 Too many recipients (at most 3 per message)\r\n');
      expect(await c.command('RSET')).toMatch(/^250 /);
    } finally {
      c.close();
    }
  });

  it('closes with 421 after too many errors', async () => {
    const c = await greeted();
    try {
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<probe@remote.example>');
      for (let i = 0; i < 4; i++) expect(await c.command(`RCPT TO:<guess${i}@bad.test>`)).toMatch(/^550 5\.1\.1 /);
      c.write('RCPT TO:<guess4@bad.test>\r\n');
      expect(await c.reply()).toMatch(/^550 5\.1\.1 /);
      expect(await c.reply()).toBe('421 4.7.0 Too many errors, closing connection\r\n');
      await c.waitClosed();
    } finally {
      c.close();
    }
  });

  it('closes with 421 after too many unknown commands', async () => {
    const c = await greeted();
    try {
      for (let i = 0; i < 4; i++) expect(await c.command(`XYZZY${i}`)).toMatch(/^500 5\.5\.2 Error: command not recognized/);
      c.write('XYZZY\r\n');
      expect(await c.reply()).toMatch(/^500 /);
      expect(await c.reply()).toMatch(/^421 /);
      await c.waitClosed();
    } finally {
      c.close();
    }
  });

  it('refuses AUTH with an unknown mechanism (504 5.5.4)', async () => {
    const c = await LineClient.open(f.ports.smtps, { tls: true });
    try {
      await c.reply();
      await c.command('EHLO client.example');
      expect(await c.command('AUTH CRAM-MD5')).toMatch(/^504 5\.5\.4 /);
      expect(await c.command('AUTH X-UNKNOWN c2VjcmV0')).toMatch(/^504 5\.5\.4 /);
      expect(await c.command('NOOP')).toMatch(/^250 /);
    } finally {
      c.close();
    }
  });

  it('drops a client that talks before the greeting; one that waited is greeted at once from then on', async () => {
    // 127.0.0.1 has waited in the tests above; 127.0.0.3 is a client the MX has not seen.
    const c = await LineClient.open(f.ports.mx, { localAddress: '127.0.0.3' });
    try {
      c.write('EHLO eager.example\r\nMAIL FROM:<spam@x.example>\r\n');
      expect(await c.reply()).toMatch(/^421 .*You talk too soon/);
      await c.waitClosed();
    } finally {
      c.close();
    }
    // Refused, so not remembered: it is paused (and refused) again.
    const again = await LineClient.open(f.ports.mx, { localAddress: '127.0.0.3' });
    try {
      again.write('EHLO eager.example\r\n');
      expect(await again.reply()).toMatch(/^421 .*You talk too soon/);
    } finally {
      again.close();
    }
    // A client that waited once is greeted without the pause: its pipelined EHLO is answered.
    const polite = await LineClient.open(f.ports.mx, { localAddress: '127.0.0.4' });
    expect(await polite.reply()).toMatch(/^220 /);
    polite.close();
    const eager = await LineClient.open(f.ports.mx, { localAddress: '127.0.0.4' });
    try {
      eager.write('EHLO polite.example\r\n');
      expect(await eager.reply()).toMatch(/^220 /);
      expect(await eager.reply()).toMatch(/^250[ -]/);
    } finally {
      eager.close();
    }
  });

  it('drops an HTTP request on the SMTP port', async () => {
    const c = await greeted();
    try {
      c.write('POST /form HTTP/1.1\r\nHost: mx.darwin.test\r\nContent-Length: 5\r\n\r\nhello');
      expect(await c.reply()).toMatch(/^421 .*HTTP requests not allowed/);
      await c.waitClosed();
    } finally {
      c.close();
    }
  });

  it('times out a silent client, also in the middle of DATA, storing nothing', async () => {
    const c = await greeted();
    try {
      await c.command('EHLO slow.example');
      const t = Date.now();
      expect(await c.reply(5000)).toMatch(/^421 4\.4\.2 .*Timeout/);
      expect(Date.now() - t).toBeGreaterThanOrEqual(900);
      await c.waitClosed();
    } finally {
      c.close();
    }
    const d = await greeted();
    try {
      await d.command('EHLO slow.example');
      await d.command('MAIL FROM:<slow@remote.example>');
      await d.command('RCPT TO:<alice@bad.test>');
      await d.command('DATA');
      d.write('Subject: never finished\r\n\r\npart');
      expect(await d.reply(5000)).toMatch(/^421 /);
      await d.waitClosed();
    } finally {
      d.close();
    }
    expect((await f.inbox(alice.mailboxId)).some((m) => m.includes('never finished'))).toBe(false);
  });

  it('refuses a message over SIZE, declared or not', async () => {
    const c = await greeted();
    try {
      await c.command('EHLO client.example');
      expect(await c.command('MAIL FROM:<big@remote.example> SIZE=9000')).toMatch(/^552 5\.3\.4 /);
      expect(await c.command('MAIL FROM:<big@remote.example> SIZE=100')).toMatch(/^250 /);
      await c.command('RCPT TO:<alice@bad.test>');
      await c.command('DATA');
      c.write('Subject: lied about size\r\n\r\n');
      for (let i = 0; i < 10; i++) c.write('z'.repeat(998) + '\r\n');
      expect(await c.command('.')).toMatch(/^552 /);
      expect(await c.command('NOOP')).toMatch(/^250 /);
    } finally {
      c.close();
    }
  });
});
