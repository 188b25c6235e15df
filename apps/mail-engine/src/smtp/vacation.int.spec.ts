import type { SeededMailbox } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

describe('vacation replies (RFC 3834)', () => {
  let f: SmtpFixture;
  let away: SeededMailbox;
  let colleague: SeededMailbox;

  async function deliver(from: string, to: string, head: string): Promise<void> {
    const c = await LineClient.open(f.ports.mx);
    try {
      await c.reply();
      await c.command('EHLO client.example');
      expect(await c.command(`MAIL FROM:<${from}>`)).toMatch(/^250 /);
      expect(await c.command(`RCPT TO:<${to}>`)).toMatch(/^250 /);
      await c.command('DATA');
      expect(await c.command(`${head.replace(/\n/g, '\r\n')}\r\n\r\nbody\r\n.`)).toMatch(/^250 /);
    } finally {
      c.close();
    }
  }

  async function replies(to: string): Promise<{ mailbox_id: string; mail_from: string; text: string }[]> {
    const rows = await f.query<{ mailbox_id: string; mail_from: string; blob_id: string }>(`SELECT mailbox_id, mail_from, blob_id FROM outbound_queue WHERE rcpt_to = $1 ORDER BY id`, [to]);
    return Promise.all(
      rows.map(async (r) => {
        const parts: Buffer[] = [];
        for await (const c of f.store.openBlob(r.blob_id)) parts.push(c as Buffer);
        return { mailbox_id: r.mailbox_id, mail_from: r.mail_from, text: Buffer.concat(parts).toString() };
      }),
    );
  }

  beforeAll(async () => {
    f = await startSmtpFixture();
    away = await f.mailbox('away@vac.test', { vacation: { subject: 'Out of office', body: 'Back on Monday.' } });
    colleague = await f.mailbox('colleague@vac.test', { password: 'colleague-password' });
    await f.alias('team@vac.test', ['away@vac.test']);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('replies once per sender per interval, with the null sender, from the mailbox, queued as that mailbox', async () => {
    await deliver('friend@remote.example', 'away@vac.test', 'From: Friend <friend@remote.example>\nSubject: lunch?\nMessage-ID: <q1@remote.example>');
    let r = await replies('friend@remote.example');
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ mailbox_id: away.mailboxId, mail_from: '' });
    expect(r[0]!.text).toMatch(/^From: <away@vac\.test>\r\nTo: <friend@remote\.example>\r\nSubject: Out of office\r\n/);
    expect(r[0]!.text).toContain('\r\nIn-Reply-To: <q1@remote.example>\r\n');
    expect(r[0]!.text).toContain('\r\nAuto-Submitted: auto-replied (vacation)\r\n');

    await deliver('friend@remote.example', 'away+tag@vac.test', 'From: friend@remote.example\nSubject: again');
    expect(await replies('friend@remote.example')).toHaveLength(1);

    // Once the interval (7 days by default) has passed, the sender gets a reply again.
    await f.query(`UPDATE vacation_replies SET last_sent_at = now() - interval '8 days'`);
    await deliver('friend@remote.example', 'away@vac.test', 'From: friend@remote.example\nSubject: a week later');
    r = await replies('friend@remote.example');
    expect(r).toHaveLength(2);
  });

  it('never replies to the null sender, lists, bulk mail, auto-submitted mail, programs, or mail that came through an alias', async () => {
    await deliver('', 'away@vac.test', 'From: MAILER-DAEMON@remote.example\nSubject: bounce');
    await deliver('news@list.example', 'away@vac.test', 'From: news@list.example\nList-Id: <news.list.example>\nSubject: newsletter');
    await deliver('promo@bulk.example', 'away@vac.test', 'From: promo@bulk.example\nPrecedence: bulk\nSubject: promo');
    await deliver('bot@auto.example', 'away@vac.test', 'From: bot@auto.example\nAuto-Submitted: auto-generated\nSubject: notice');
    await deliver('MAILER-DAEMON@remote.example', 'away@vac.test', 'From: MAILER-DAEMON@remote.example\nSubject: daemon');
    await deliver('teammate@remote.example', 'team@vac.test', 'From: teammate@remote.example\nSubject: to the team');
    for (const to of ['news@list.example', 'promo@bulk.example', 'bot@auto.example', 'MAILER-DAEMON@remote.example', 'teammate@remote.example']) {
      expect(await replies(to)).toEqual([]);
    }
    expect((await f.inbox(away.mailboxId)).length).toBeGreaterThanOrEqual(9);
  });

  it('delivers the reply locally when the sender is hosted here, and stops when the vacation has ended', async () => {
    await deliver('colleague@vac.test', 'away@vac.test', 'From: colleague@vac.test\nSubject: internal');
    const inbox = await f.inbox(colleague.mailboxId);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatch(/^From: <away@vac\.test>\r\nTo: <colleague@vac\.test>\r\nSubject: Out of office/);

    await f.query(`UPDATE mailboxes SET vacation_ends_at = now() - interval '1 hour' WHERE id = $1`, [away.mailboxId]);
    await deliver('late@remote.example', 'away@vac.test', 'From: late@remote.example\nSubject: too late');
    expect(await replies('late@remote.example')).toEqual([]);
  });
});
