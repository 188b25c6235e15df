import type { SeededMailbox } from '@darwin/db';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

describe('SMTP submission (587 STARTTLS, 465 implicit TLS)', () => {
  let f: SmtpFixture;
  let alice: SeededMailbox;
  let bob: SeededMailbox;

  function transport(user: string, pass: string, port: 'submission' | 'smtps' = 'submission') {
    return nodemailer.createTransport({
      host: '127.0.0.1',
      port: f.ports[port],
      secure: port === 'smtps',
      requireTLS: port === 'submission',
      auth: { user, pass },
      tls: { ca: f.certPem },
      name: 'laptop.example',
    });
  }

  beforeAll(async () => {
    f = await startSmtpFixture({ DARWIN_AUTH_MAX_FAILURES_ACCOUNT: '3', DARWIN_QUEUE_LIFETIME: '2d' });
    alice = await f.mailbox('alice@sub.test', { password: 'alice-password' });
    bob = await f.mailbox('bob@sub.test', { password: 'bob-password' });
    await f.alias('sales@sub.test', ['alice@sub.test', 'carol@remote.example']);
    await f.alias('support@sub.test', ['bob@sub.test']);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('offers AUTH PLAIN and LOGIN only after TLS', async () => {
    const c = await LineClient.open(f.ports.submission);
    try {
      await c.reply();
      const plain = await c.command('EHLO laptop.example');
      expect(plain).toContain('250-STARTTLS');
      expect(plain).not.toContain('AUTH');
      expect(await c.command('AUTH PLAIN AGFsaWNlQHN1Yi50ZXN0AGFsaWNlLXBhc3N3b3Jk')).toBe('538 5.7.11 Encryption required for requested authentication mechanism\r\n');
      expect(await c.command('MAIL FROM:<alice@sub.test>')).toMatch(/^530 5\.7\.0 /);
      expect(await c.command('STARTTLS')).toMatch(/^220 /);
      await c.upgrade();
      const secure = await c.command('EHLO laptop.example');
      expect(secure).toContain('AUTH PLAIN LOGIN');
      expect(await c.command('AUTH PLAIN AGFsaWNlQHN1Yi50ZXN0AGFsaWNlLXBhc3N3b3Jk')).toMatch(/^235 2\.7\.0 /);
    } finally {
      c.close();
    }
  });

  it('delivers local recipients directly and queues remote ones in the same transaction (one blob), on 587 and 465', async () => {
    for (const port of ['submission', 'smtps'] as const) {
      const subject = `hello from ${port}`;
      const info = await transport('alice@sub.test', 'alice-password', port).sendMail({
        from: 'alice@sub.test',
        to: ['bob@sub.test', 'friend@remote.example'],
        subject,
        text: 'hi',
        dsn: { id: 'env-1', return: 'headers', notify: ['failure', 'delay'], recipient: 'alice@sub.test' },
      });
      expect(info.response).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient, 1 queued for delivery/);
      const [local] = await f.query<{ blob_id: string }>(`SELECT blob_id FROM messages WHERE mailbox_id = $1 AND subject = $2`, [bob.mailboxId, subject]);
      const [row] = await f.query<{ blob_id: string; mailbox_id: string; mail_from: string; dsn: Record<string, unknown> }>(
        `SELECT q.blob_id, q.mailbox_id, q.mail_from, q.dsn FROM outbound_queue q WHERE rcpt_to = 'friend@remote.example' AND blob_id = $1`,
        [local!.blob_id],
      );
      expect(row).toMatchObject({ mailbox_id: alice.mailboxId, mail_from: 'alice@sub.test' });
      expect(row!.dsn).toEqual({ ret: 'HDRS', envid: 'env-1', notify: ['FAILURE', 'DELAY'], orcpt: 'rfc822;alice@sub.test' });
      // DARWIN_QUEUE_LIFETIME (2d here), not the store's default of five days.
      const [life] = await f.query<{ s: number }>(
        `SELECT round(extract(epoch FROM expires_at - created_at))::int AS s FROM outbound_queue WHERE rcpt_to = 'friend@remote.example' AND blob_id = $1`,
        [local!.blob_id],
      );
      expect(life!.s).toBe(2 * 86_400);
      const [stored] = (await f.inbox(bob.mailboxId)).filter((m) => m.includes(subject));
      expect(stored).toMatch(/^Received: from laptop\.example \(unknown \[127\.0\.0\.1\]\)\r\n\tby mx\.darwin\.test \(Darwin Mail\) with ESMTPSA id/);
    }
    const [stats] = await f.query<{ sent: number }>(`SELECT sum(sent_messages)::int AS sent FROM mail_stats_daily WHERE mailbox_id = $1`, [alice.mailboxId]);
    expect(stats!.sent).toBe(2);
  });

  it("counts a submission in the sender's daily sent figures: once with local recipients only, once when mixed", async () => {
    const counter = await f.mailbox('counter@sub.test', { password: 'counter-password' });
    const sent = async () =>
      (await f.query<{ n: number }>(`SELECT coalesce(sum(sent_messages), 0)::int AS n FROM mail_stats_daily WHERE mailbox_id = $1`, [counter.mailboxId]))[0]!.n;
    const t = transport('counter@sub.test', 'counter-password');
    // Local only (two local mailboxes): no queue row, still one sent message.
    await t.sendMail({ envelope: { from: 'counter@sub.test', to: ['bob@sub.test', 'alice@sub.test'] }, raw: 'Subject: local only\r\n\r\nx\r\n' });
    expect(await f.query(`SELECT 1 FROM outbound_queue WHERE mailbox_id = $1`, [counter.mailboxId])).toEqual([]);
    expect(await sent()).toBe(1);
    // Mixed: a local copy, a remote row, and an alias with both: exactly one more.
    await t.sendMail({ envelope: { from: 'counter@sub.test', to: ['bob@sub.test', 'x@remote.example', 'sales@sub.test'] }, raw: 'Subject: mixed\r\n\r\nx\r\n' });
    expect(await sent()).toBe(2);
    const [received] = await f.query<{ n: number }>(`SELECT coalesce(sum(received_messages), 0)::int AS n FROM mail_stats_daily WHERE mailbox_id = $1`, [counter.mailboxId]);
    expect(received!.n).toBe(0);
  });

  it('adds Message-ID and Date when the client left them out', async () => {
    const c = await LineClient.open(f.ports.smtps, { tls: true });
    try {
      await c.reply();
      await c.command('EHLO laptop.example');
      expect(await c.command('AUTH PLAIN AGFsaWNlQHN1Yi50ZXN0AGFsaWNlLXBhc3N3b3Jk')).toMatch(/^235 /);
      await c.command('MAIL FROM:<alice@sub.test>');
      await c.command('RCPT TO:<bob@sub.test>');
      await c.command('DATA');
      expect(await c.command('Subject: bare\r\n\r\nno ids\r\n.')).toMatch(/^250 /);
    } finally {
      c.close();
    }
    const m = (await f.inbox(bob.mailboxId)).find((x) => x.includes('Subject: bare'))!;
    expect(m).toMatch(/\r\nDate: \w{3}, \d{2} \w{3} \d{4} /);
    expect(m).toMatch(/\r\nMessage-ID: <[^>]+@mx\.darwin\.test>\r\n/);
  });

  it('accepts the mailbox, its subaddresses and its aliases as sender, and nothing else (553 5.7.1)', async () => {
    const t = transport('alice@sub.test', 'alice-password');
    for (const from of ['alice@sub.test', 'Alice+news@SUB.test', 'sales@sub.test']) {
      await expect(t.sendMail({ envelope: { from, to: ['bob@sub.test'] }, raw: 'Subject: as me\r\n\r\nx\r\n' })).resolves.toBeTruthy();
    }
    for (const from of ['bob@sub.test', 'support@sub.test', 'ceo@remote.example', '']) {
      await expect(t.sendMail({ envelope: { from, to: ['bob@sub.test'] }, raw: 'Subject: forged\r\n\r\nx\r\n' })).rejects.toMatchObject({
        responseCode: 553,
        response: expect.stringMatching(/^553 5\.7\.1 Sender address rejected: not owned by you; send as alice@sub\.test or one of its aliases/),
      });
    }
    expect((await f.inbox(bob.mailboxId)).some((m) => m.includes('Subject: forged'))).toBe(false);
  });

  it('refuses wrong passwords (535 5.7.8) and locks the account after repeated failures, with an abuse event', async () => {
    const locked = await f.mailbox('locked@sub.test', { password: 'right-password' });
    for (let i = 0; i < 3; i++) {
      await expect(transport('locked@sub.test', 'wrong-password').verify()).rejects.toMatchObject({ responseCode: 535 });
    }
    // Locked: even the right password is refused now, like a wrong one.
    await expect(transport('locked@sub.test', 'right-password').verify()).rejects.toMatchObject({ responseCode: 535 });
    const events = await f.query<{ kind: string; mailbox_id: string }>(`SELECT kind, mailbox_id FROM abuse_events WHERE kind = 'auth_failures'`);
    expect(events).toContainEqual({ kind: 'auth_failures', mailbox_id: locked.mailboxId });
  });

  it("applies the plan's recipients per message (452 4.5.3) and refuses suspended senders (550 5.7.1)", async () => {
    await f.mailbox('few@limits.test', { password: 'few-password' });
    await f.plan('limits.test', { max_recipients_per_message: 2 });
    const c = await LineClient.open(f.ports.smtps, { tls: true });
    try {
      await c.reply();
      await c.command('EHLO laptop.example');
      await c.command(`AUTH PLAIN ${Buffer.from('\0few@limits.test\0few-password').toString('base64')}`);
      await c.command('MAIL FROM:<few@limits.test>');
      expect(await c.command('RCPT TO:<a@remote.example>')).toMatch(/^250 /);
      expect(await c.command('RCPT TO:<b@remote.example>')).toMatch(/^250 /);
      expect(await c.command('RCPT TO:<c@remote.example>')).toBe('452 4.5.3 Too many recipients (at most 2 per message)\r\n');
    } finally {
      c.close();
    }
    await f.mailbox('quiet@sub.test', { password: 'quiet-password', sendSuspended: true });
    await expect(transport('quiet@sub.test', 'quiet-password').sendMail({ envelope: { from: 'quiet@sub.test', to: ['x@remote.example'] }, raw: 'Subject: s\r\n\r\nx\r\n' })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/^550 5\.7\.1 Sending is suspended/),
    });
  });

  it("applies the sender plan's message size limit on MAIL FROM SIZE= and after DATA (552 5.3.4)", async () => {
    await f.mailbox('big@bigplan.test', { password: 'big-password' });
    await f.plan('bigplan.test', { max_message_bytes: 2000 });
    const c = await LineClient.open(f.ports.smtps, { tls: true });
    try {
      await c.reply();
      await c.command('EHLO laptop.example');
      await c.command(`AUTH PLAIN ${Buffer.from('\0big@bigplan.test\0big-password').toString('base64')}`);
      expect(await c.command('MAIL FROM:<big@bigplan.test> SIZE=5000')).toBe('552 5.3.4 Message exceeds the size limit of 2000 bytes\r\n');
      expect(await c.command('MAIL FROM:<big@bigplan.test>')).toMatch(/^250 /);
      await c.command('RCPT TO:<bob@sub.test>');
      await c.command('DATA');
      expect(await c.command('Subject: plan size\r\n\r\n' + 'b'.repeat(3000) + '\r\n.')).toBe('552 5.3.4 Message exceeds the size limit of 2000 bytes\r\n');
    } finally {
      c.close();
    }
    expect((await f.inbox(bob.mailboxId)).some((m) => m.includes('Subject: plan size'))).toBe(false);
  });

  it('refuses unknown local recipients at RCPT and limits the send rate (450 4.7.0), accepting nothing over it', async () => {
    const rate = await f.mailbox('rate@rates.test', { password: 'rate-password' });
    await f.plan('rates.test', { send_per_minute: 3 });
    const t = transport('rate@rates.test', 'rate-password');
    await expect(t.sendMail({ envelope: { from: 'rate@rates.test', to: ['nobody@sub.test'] }, raw: 'Subject: r\r\n\r\nx\r\n' })).rejects.toMatchObject({ responseCode: 550 });
    for (let i = 0; i < 3; i++) await t.sendMail({ envelope: { from: 'rate@rates.test', to: [`r${i}@remote.example`] }, raw: `Subject: r${i}\r\n\r\nx\r\n` });
    await expect(t.sendMail({ envelope: { from: 'rate@rates.test', to: ['r3@remote.example'] }, raw: 'Subject: r3\r\n\r\nx\r\n' })).rejects.toMatchObject({
      responseCode: 450,
      response: expect.stringMatching(/^450 4\.7\.0 Sending rate limit reached \(3 recipients per minute\)/),
    });
    const rows = await f.query<{ rcpt_to: string }>(`SELECT rcpt_to FROM outbound_queue WHERE mailbox_id = $1 ORDER BY rcpt_to`, [rate.mailboxId]);
    expect(rows.map((r) => r.rcpt_to)).toEqual(['r0@remote.example', 'r1@remote.example', 'r2@remote.example']);
  });
});
