import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/**
 * RFC 5321 4.1.1.3: `RCPT TO:<postmaster>` without a domain must be accepted (any case). It is the
 * postmaster of this server: postmaster@<DARWIN_HOSTNAME> when hosted, else the admin address.
 */
describe('MX: the domainless postmaster recipient', () => {
  let f: SmtpFixture;

  /** One message to `rcpt` over a raw socket; returns the RCPT reply and, if accepted, the final one. */
  async function send(rcpt: string, subject: string): Promise<{ rcpt: string; data?: string }> {
    const c = await LineClient.open(f.ports.mx);
    try {
      await c.reply();
      await c.command('EHLO client.example');
      expect(await c.command('MAIL FROM:<someone@remote.example>')).toMatch(/^250 /);
      const reply = await c.command(`RCPT TO:<${rcpt}>`);
      if (!reply.startsWith('250')) return { rcpt: reply };
      expect(await c.command('DATA')).toMatch(/^354 /);
      return { rcpt: reply, data: await c.command(`Subject: ${subject}\r\n\r\nabuse report\r\n.`) };
    } finally {
      c.close();
    }
  }

  beforeAll(async () => {
    // The admin address is in a hosted domain (created below); the host name is not hosted yet.
    f = await startSmtpFixture({ DARWIN_ADMIN_EMAIL: 'admin@ops.test' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('answers 550 5.1.1 with a clear text when neither postmaster@<hostname> nor the admin address resolves', async () => {
    const r = await send('postmaster', 'nobody home');
    expect(r.rcpt).toBe('550 5.1.1 Recipient address rejected: this server has no postmaster mailbox (postmaster@mx.darwin.test is not set up)\r\n');
  });

  it('falls back to the admin address (through the normal resolution) when postmaster@<hostname> is not hosted', async () => {
    const admin = await f.mailbox('admin@ops.test');
    const r = await send('PostMaster', 'to the admin');
    expect(r.rcpt).toMatch(/^250 2\.1\.5 /);
    expect(r.data).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient/);
    const [m] = await f.inbox(admin.mailboxId);
    expect(m).toContain('for <admin@ops.test>;');
    expect(m).toContain('Subject: to the admin');
  });

  it('delivers to postmaster@<DARWIN_HOSTNAME> when it is a hosted alias, in preference to the admin address', async () => {
    const admin = (await f.query<{ id: string }>(`SELECT id FROM mailboxes WHERE address = 'admin@ops.test'`))[0]!;
    const ops = await f.mailbox('ops@mx.darwin.test');
    await f.alias('postmaster@mx.darwin.test', ['ops@mx.darwin.test']);
    for (const rcpt of ['postmaster', 'POSTMASTER']) {
      const r = await send(rcpt, `as ${rcpt}`);
      expect(r.data).toMatch(/^250 2\.0\.0 Ok: stored/);
    }
    const inbox = await f.inbox(ops.mailboxId);
    expect(inbox.map((m) => /Subject: (.*)\r\n/.exec(m)![1])).toEqual(['as postmaster', 'as POSTMASTER']);
    expect((await f.inbox(admin.id)).some((m) => m.includes('Subject: as '))).toBe(false);
  });

  it('still refuses other domainless recipients and postmaster variants as bad syntax', async () => {
    expect((await send('abuse', 'x')).rcpt).toMatch(/^501 5\.1\.3 /);
    expect((await send('postmaster2', 'x')).rcpt).toMatch(/^501 5\.1\.3 /);
  });
});
