import type { AddressInfo, Server } from 'node:net';
import type { SeededMailbox } from '@darwin/db';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { createImapServer } from '../imap/server.js';
import { implicitTls } from '../implicit-tls.js';
import { createPop3Server } from '../pop3/server.js';
import { startSmtpFixture, type SmtpFixture } from '../smtp/testing/smtp-fixture.js';

/**
 * Acceptance: a burst of 300 submissions in a minute from one mailbox ends in an automatic block
 * with an abuse event, while that mailbox still receives mail (and reads it over IMAP and POP3)
 * and the other mailboxes still send.
 */
describe('burst detection and automatic blocking', () => {
  let f: SmtpFixture;
  let burst: SeededMailbox;
  let colleague: SeededMailbox;
  let stranger: SeededMailbox;
  let events: pg.Client;
  const notified: Record<string, unknown>[] = [];

  const send = (user: string, pass: string) =>
    nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.smtps, secure: true, auth: { user, pass }, tls: { ca: f.certPem }, pool: true, maxConnections: 4, maxMessages: Infinity });

  beforeAll(async () => {
    f = await startSmtpFixture();
    burst = await f.mailbox('burst@burst.test', { password: 'burst-password' });
    colleague = await f.mailbox('colleague@burst.test', { password: 'colleague-password' });
    stranger = await f.mailbox('stranger@calm.test', { password: 'stranger-password' });
    // 25 recipients a minute: more than 10 x 25 = 250 attempts within a minute is a burst.
    await f.plan('burst.test', { send_per_minute: 25 });
    events = new pg.Client({ connectionString: f.db.url });
    await events.connect();
    await events.query('LISTEN darwin_events');
    events.on('notification', (n) => notified.push(JSON.parse(n.payload!) as Record<string, unknown>));
  });

  afterAll(async () => {
    await events?.end();
    await f?.close();
  });

  it('blocks the mailbox after 300 submissions in a minute, records why, and keeps everything else working', async () => {
    const t = send('burst@burst.test', 'burst-password');
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        t.sendMail({ envelope: { from: 'burst@burst.test', to: [`victim${i}@remote.example`] }, raw: `Subject: spam ${i}\r\n\r\nbuy now\r\n` }).then(
          () => 250,
          (err: { responseCode?: number; response?: string }) => {
            if (err.responseCode === 550) expect(err.response).toMatch(/^550 5\.7\.1 This mailbox may not send mail: it was blocked automatically/);
            return err.responseCode ?? 0;
          },
        ),
      ),
    );
    t.close();
    expect(Date.now() - started).toBeLessThan(60_000);
    const count = (code: number) => outcomes.filter((c) => c === code).length;
    // The per-minute limit let 25 through, refused the rest with 450 until the burst threshold, then 550.
    expect(count(250)).toBe(25);
    expect(count(450)).toBe(250 - 25);
    expect(count(550)).toBe(300 - 250);

    const [mb] = await f.query<{ outbound_blocked_at: Date | null; outbound_blocked_reason: string }>(
      'SELECT outbound_blocked_at, outbound_blocked_reason FROM mailboxes WHERE id = $1',
      [burst.mailboxId],
    );
    expect(mb!.outbound_blocked_at).not.toBeNull();
    expect(mb!.outbound_blocked_reason).toMatch(/^Automatic block: 251 recipients attempted within a minute, more than 10 times the limit of 25 per minute/);

    const abuse = await f.query<{ id: string; tenant_id: string; kind: string; details: Record<string, unknown>; ip: string }>(
      `SELECT id, tenant_id, kind, details, host(ip) AS ip FROM abuse_events WHERE mailbox_id = $1`,
      [burst.mailboxId],
    );
    expect(abuse).toHaveLength(1);
    expect(abuse[0]).toMatchObject({ tenant_id: burst.tenantId, kind: 'send_burst', ip: '127.0.0.1' });
    expect(abuse[0]!.details).toMatchObject({
      attemptsLastMinute: 251,
      acceptedLastMinute: 25,
      limits: { perMinute: 25, perHour: 1000, perDay: 10000 },
      burstFactor: 10,
      threshold: 250,
    });
    const audit = await f.query<{ actor_type: string; action: string; target_id: string; after: Record<string, unknown> }>(
      `SELECT actor_type, action, target_id, after FROM audit_log WHERE action = 'mailbox.outbound_block'`,
    );
    expect(audit).toEqual([{ actor_type: 'system', action: 'mailbox.outbound_block', target_id: burst.mailboxId, after: expect.objectContaining({ abuseEventId: abuse[0]!.id }) }]);
    await expect.poll(() => notified.filter((n) => n.type === 'mailbox.blocked')).toEqual([
      { type: 'mailbox.blocked', tenantId: burst.tenantId, mailboxId: burst.mailboxId, eventId: abuse[0]!.id },
    ]);
    // What was accepted before the block stays queued (the workers hold it while the mailbox is blocked).
    const [{ n: queued }] = await f.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_queue WHERE mailbox_id = $1 AND state = 'queued'`, [burst.mailboxId]);
    expect(queued).toBe(25);

    // Further submissions: 550 5.7.1 with a human sentence, at MAIL FROM already.
    const c = await LineClient.open(f.ports.smtps, { tls: true });
    try {
      await c.reply();
      await c.command('EHLO client.example');
      await c.command(`AUTH PLAIN ${Buffer.from('\0burst@burst.test\0burst-password').toString('base64')}`);
      expect(await c.command('MAIL FROM:<burst@burst.test>')).toBe(
        '550 5.7.1 This mailbox may not send mail: it was blocked automatically after an unusual burst of messages. Ask your provider to review and release it\r\n',
      );
    } finally {
      c.close();
    }

    // The blocked mailbox still receives mail on the MX ...
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.mx, secure: false, ignoreTLS: true });
    await mx.sendMail({ envelope: { from: 'friend@remote.example', to: ['burst@burst.test'] }, raw: 'Subject: still reachable\r\n\r\nhello\r\n' });
    expect((await f.inbox(burst.mailboxId)).some((m) => m.includes('Subject: still reachable'))).toBe(true);

    // ... and can read it over IMAP and POP3.
    const imap = createImapServer(f.ctx);
    const pop3s = implicitTls(createPop3Server(f.ctx), f.ctx.tls, f.ctx.logger);
    const listen = async (s: Server) => {
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      return (s.address() as AddressInfo).port;
    };
    const imapPort = await listen(imap);
    const pop3Port = await listen(pop3s);
    try {
      const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user: 'burst@burst.test', pass: 'burst-password' }, logger: false, tls: { ca: [f.certPem] } });
      await client.connect();
      const box = await client.mailboxOpen('INBOX');
      expect(box.exists).toBe(1);
      await client.logout();
      const p = await LineClient.open(pop3Port, { tls: true });
      try {
        expect(await p.readUntil(/^\+OK/)).toMatch(/^\+OK/);
        p.write('USER burst@burst.test\r\n');
        expect(await p.readUntil(/^[+-]/)).toMatch(/^\+OK/);
        p.write('PASS burst-password\r\n');
        expect(await p.readUntil(/^[+-]/)).toMatch(/^\+OK/);
        p.write('STAT\r\n');
        expect(await p.readUntil(/^[+-]/)).toMatch(/^\+OK 1 /);
      } finally {
        p.close();
      }
    } finally {
      imap.close();
      pop3s.close();
    }

    // The other mailboxes still send: one of the same tenant, one of another.
    for (const [user, pass] of [
      ['colleague@burst.test', 'colleague-password'],
      ['stranger@calm.test', 'stranger-password'],
    ] as const) {
      const other = send(user, pass);
      const info = await other.sendMail({ envelope: { from: user, to: ['someone@remote.example'] }, raw: 'Subject: legit\r\n\r\nhi\r\n' });
      other.close();
      expect(info.response).toMatch(/^250 2\.0\.0 Ok/);
    }
    const senders = await f.query<{ mailbox_id: string }>(`SELECT mailbox_id FROM outbound_queue WHERE rcpt_to = 'someone@remote.example'`);
    expect(senders.map((r) => r.mailbox_id).sort()).toEqual([colleague.mailboxId, stranger.mailboxId].sort());
  });
});
