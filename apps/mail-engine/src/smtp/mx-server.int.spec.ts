import type { SeededMailbox } from '@darwin/db';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

describe('SMTP MX server', () => {
  let f: SmtpFixture;
  let alice: SeededMailbox;
  let bob: SeededMailbox;
  let full: SeededMailbox;
  let small: SeededMailbox;

  /** A session up to RCPT-ready, returning the client. */
  async function session(from = 'sender@remote.example', params = ''): Promise<LineClient> {
    const c = await LineClient.open(f.ports.mx);
    await c.reply();
    await c.command('EHLO client.example');
    expect(await c.command(`MAIL FROM:<${from}>${params}`)).toMatch(/^250 /);
    return c;
  }

  async function queueRows(where = 'true', params: unknown[] = []) {
    return f.query<{ mail_from: string; rcpt_to: string; mailbox_id: string | null; blob_id: string; dsn: Record<string, unknown>; tenant_id: string }>(
      `SELECT mail_from, rcpt_to, mailbox_id, blob_id, dsn, tenant_id FROM outbound_queue WHERE ${where} ORDER BY id`,
      params,
    );
  }

  /** Seconds between creation and expiry of queue rows (DARWIN_QUEUE_LIFETIME is 3d here). */
  async function lifetimes(where: string): Promise<number[]> {
    const rows = await f.query<{ s: number }>(`SELECT round(extract(epoch FROM expires_at - created_at))::int AS s FROM outbound_queue WHERE ${where}`);
    return rows.map((r) => r.s);
  }

  async function blobText(blobId: string): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of f.store.openBlob(blobId)) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  beforeAll(async () => {
    f = await startSmtpFixture({ DARWIN_MAX_MESSAGE_BYTES: '64K', DARWIN_SMTP_MAX_RECEIVED: '5', DARWIN_SMTP_MAX_RECIPIENTS: '5', DARWIN_QUEUE_LIFETIME: '3d' });
    alice = await f.mailbox('alice@mx.test');
    bob = await f.mailbox('bob@mx.test');
    full = await f.mailbox('full@mx.test', { quotaBytes: 0 });
    small = await f.mailbox('small@mx.test', { quotaBytes: 2000 });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('delivers with nodemailer, prepending Authentication-Results and Received headers, body byte for byte', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.mx, secure: false, ignoreTLS: true, name: 'client.example' });
    const raw = 'From: bob@remote.example\r\nTo: alice@mx.test\r\nSubject: hi\r\n\r\n.starts with a dot\r\nnaïve café ✓\r\n';
    const info = await transport.sendMail({ envelope: { from: 'bob@remote.example', to: ['Alice@MX.test'] }, raw });
    expect(info.accepted).toHaveLength(1);
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient \(queued as [0-9A-F]{12}\)$/);
    const [stored] = await f.inbox(alice.mailboxId);
    expect(stored).toMatch(
      /^Received: from client\.example \(unknown \[127\.0\.0\.1\]\)\r\n\tby mx\.darwin\.test \(Darwin Mail\) with ESMTP id [0-9A-F]{12}\r\n\tfor <alice@mx\.test>;\r\n\t\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\nReceived-SPF: none .*\r\nAuthentication-Results: mx\.darwin\.test;\r\n dkim=none /,
    );
    expect(stored!.slice(stored!.indexOf('From: '))).toBe(raw);
  });

  it('advertises its extensions, and no AUTH on the MX', async () => {
    const c = await LineClient.open(f.ports.mx);
    try {
      expect(await c.reply()).toMatch(/^220 mx\.darwin\.test ESMTP/);
      const ehlo = await c.command('EHLO client.example');
      for (const ext of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'DSN', 'CHUNKING', 'STARTTLS', 'SIZE 65536']) expect(ehlo).toContain(`250-${ext}`.replace('250-SIZE', '250 SIZE'));
      expect(ehlo).not.toContain('AUTH');
      expect(await c.command('AUTH PLAIN AGFAYg==')).toMatch(/^500 5\.5\.2 /);
    } finally {
      c.close();
    }
  });

  it('rejects unknown users (550 5.1.1), relaying (554 5.7.1), full mailboxes (452 4.2.2) and disabled ones (550 5.2.1), storing nothing', async () => {
    await f.mailbox('away@mx.test', { receiveSuspended: true });
    const c = await session('bob@remote.example');
    try {
      expect(await c.command('RCPT TO:<nobody@mx.test>')).toBe('550 5.1.1 Recipient address rejected: no such user here\r\n');
      expect(await c.command('RCPT TO:<someone@elsewhere.example>')).toBe('554 5.7.1 Relay access denied\r\n');
      expect(await c.command('RCPT TO:<full@mx.test>')).toBe('452 4.2.2 Mailbox full, try again later\r\n');
      expect(await c.command('RCPT TO:<away@mx.test>')).toBe('550 5.2.1 Mailbox unavailable: it does not accept mail\r\n');
      expect(await c.command('RCPT TO:<not an address>')).toMatch(/^501 /);
      expect(await c.command('DATA')).toMatch(/^503 /);
      expect(await c.command('QUIT')).toMatch(/^221 /);
    } finally {
      c.close();
    }
    const [{ n }] = await f.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE mailbox_id <> $1', [alice.mailboxId]);
    expect(n).toBe(0);
    expect((await f.store.quota(full.mailboxId)).usedBytes).toBe(0);
  });

  it('answers 552 5.2.2 when this message would exceed the quota, and stores nothing', async () => {
    const c = await session();
    try {
      expect(await c.command('RCPT TO:<small@mx.test>')).toMatch(/^250 /);
      await c.command('DATA');
      c.write('Subject: too big for small\r\n\r\n' + 'z'.repeat(3000) + '\r\n');
      expect(await c.command('.')).toMatch(/^552 5\.2\.2 Mailbox full/);
    } finally {
      c.close();
    }
    expect(await f.inbox(small.mailboxId)).toEqual([]);
  });

  it('enforces SIZE on MAIL FROM and after DATA and keeps the connection usable', async () => {
    const c = await LineClient.open(f.ports.mx);
    try {
      await c.reply();
      expect(await c.command('EHLO client.example')).toMatch(/250[- ]SIZE 65536\r\n/);
      expect(await c.command('MAIL FROM:<bob@remote.example> SIZE=100000')).toMatch(/^552 5\.3\.4 /);
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@mx.test>');
      expect(await c.command('DATA')).toMatch(/^354 /);
      c.write('Subject: big\r\n\r\n' + 'x'.repeat(998) + '\r\n');
      for (let i = 0; i < 70; i++) c.write('y'.repeat(998) + '\r\n');
      expect(await c.command('.')).toMatch(/^552 /);
      expect(await c.command('NOOP')).toMatch(/^250 /);
    } finally {
      c.close();
    }
    expect((await f.inbox(alice.mailboxId)).some((m) => m.includes('Subject: big'))).toBe(false);
  });

  it("applies the recipient plan's message size limit at RCPT (SIZE=) and after DATA", async () => {
    const tiny = await f.mailbox('tiny@tinyplan.test');
    await f.plan('tinyplan.test', { max_message_bytes: 1500 });
    const c = await session('bob@remote.example', ' SIZE=5000');
    try {
      expect(await c.command('RCPT TO:<tiny@tinyplan.test>')).toMatch(/^552 5\.3\.4 Message too large for this recipient/);
      await c.command('RSET');
      await c.command('MAIL FROM:<bob@remote.example>');
      expect(await c.command('RCPT TO:<tiny@tinyplan.test>')).toMatch(/^250 /);
      await c.command('DATA');
      c.write('Subject: over the plan\r\n\r\n' + 'p'.repeat(2000) + '\r\n');
      expect(await c.command('.')).toMatch(/^552 5\.3\.4 /);
    } finally {
      c.close();
    }
    expect(await f.inbox(tiny.mailboxId)).toEqual([]);
  });

  it('detects mail loops by counting Received headers (554 5.4.6)', async () => {
    const c = await session();
    try {
      await c.command('RCPT TO:<alice@mx.test>');
      await c.command('DATA');
      for (let i = 0; i < 5; i++) c.write(`Received: from hop${i} by hop${i + 1}; Thu, 26 Nov 2026 10:00:00 +0000\r\n`);
      c.write('Subject: loop\r\n\r\nbody\r\n');
      expect(await c.command('.')).toMatch(/^554 5\.4\.6 Too many hops \(6 Received headers\)/);
    } finally {
      c.close();
    }
    expect((await f.inbox(alice.mailboxId)).some((m) => m.includes('Subject: loop'))).toBe(false);
  });

  it('never ends DATA on LF.LF, LF.CRLF or CRLF.LF (SMTP smuggling) and normalises bare LF to CRLF', async () => {
    const c = await session();
    try {
      await c.command('RCPT TO:<alice@mx.test>');
      await c.command('DATA');
      c.write('Subject: smuggle\r\n\r\nfirst\n.\nMAIL FROM:<evil@x>\r\nsecond\n.\r\nRCPT TO:<x@y>\r\nthird\r\n.\nDATA\r\nend\r\n.\r\n');
      expect(await c.reply()).toMatch(/^250 /);
      // Nothing after the smuggled "ends" was taken as a command.
      expect(await c.command('NOOP')).toMatch(/^250 /);
      expect(c.pending).toBe('');
    } finally {
      c.close();
    }
    const smuggled = (await f.inbox(alice.mailboxId)).find((m) => m.includes('Subject: smuggle'))!;
    expect(smuggled).toContain('first\r\n.\r\nMAIL FROM:<evil@x>\r\nsecond\r\n.\r\nRCPT TO:<x@y>\r\nthird\r\n.\r\nDATA\r\nend\r\n');
    expect(smuggled).not.toMatch(/[^\r]\n/);
  });

  it('pipelines MAIL, RCPT and DATA and answers in order', async () => {
    const c = await LineClient.open(f.ports.mx);
    try {
      await c.reply();
      await c.command('EHLO client.example');
      c.write('MAIL FROM:<p@remote.example>\r\nRCPT TO:<alice@mx.test>\r\nRCPT TO:<nobody@mx.test>\r\nRCPT TO:<bob@mx.test>\r\nDATA\r\n');
      expect(await c.reply()).toMatch(/^250 2\.1\.0/);
      expect(await c.reply()).toMatch(/^250 2\.1\.5/);
      expect(await c.reply()).toMatch(/^550 5\.1\.1/);
      expect(await c.reply()).toMatch(/^250 2\.1\.5/);
      expect(await c.reply()).toMatch(/^354 /);
      c.write('Subject: pipelined\r\n\r\nx\r\n.\r\nQUIT\r\n');
      expect(await c.reply()).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 2 recipients/);
      expect(await c.reply()).toMatch(/^221 /);
    } finally {
      c.close();
    }
    // One blob shared by both copies.
    const rows = await f.query<{ blob_id: string }>(`SELECT blob_id FROM messages WHERE subject = 'pipelined'`);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.blob_id)).size).toBe(1);
  });

  it('accepts 8BITMIME and SMTPUTF8 (UTF-8 addresses need the parameter)', async () => {
    const pele = await f.mailbox('pelé@mx.test');
    const c = await LineClient.open(f.ports.mx);
    try {
      await c.reply();
      await c.command('EHLO client.example');
      expect(await c.command('MAIL FROM:<jöe@remote.example>')).toMatch(/^553 5\.6\.7 /);
      expect(await c.command('MAIL FROM:<jöe@remote.example> BODY=8BITMIME SMTPUTF8')).toMatch(/^250 /);
      expect(await c.command('RCPT TO:<Pelé@MX.test>')).toMatch(/^250 /);
      await c.command('DATA');
      expect(await c.command('Subject: olá\r\n\r\nçà et là\r\n.')).toMatch(/^250 /);
    } finally {
      c.close();
    }
    const [m] = await f.inbox(pele.mailboxId);
    expect(m).toContain('Subject: olá\r\n\r\nçà et là\r\n');
  });

  it('offers STARTTLS with the engine certificate; nodemailer delivers over it (ESMTPS)', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.mx, secure: false, requireTLS: true, name: 'tls.example', tls: { ca: f.certPem, servername: 'mail.darwin.test' } });
    await transport.sendMail({ envelope: { from: 'tls@remote.example', to: ['bob@mx.test'] }, raw: 'Subject: over tls\r\n\r\nsecret\r\n' });
    const m = (await f.inbox(bob.mailboxId)).find((x) => x.includes('Subject: over tls'))!;
    expect(m).toMatch(/with ESMTPS id /);
  });

  describe('recipient resolution', () => {
    it('fans an alias out to local mailboxes (one blob) and queues its external destination with the original sender', async () => {
      await f.alias('team@mx.test', ['alice@mx.test', 'bob@mx.test', 'partner@remote.example']);
      const c = await session('boss@remote.example');
      try {
        expect(await c.command('RCPT TO:<Team@mx.test>')).toMatch(/^250 /);
        await c.command('DATA');
        expect(await c.command('Subject: to the team\r\n\r\nhello team\r\n.')).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 2 recipients, 1 queued for delivery/);
      } finally {
        c.close();
      }
      const copies = await f.query<{ mailbox_id: string; blob_id: string }>(`SELECT mailbox_id, blob_id FROM messages WHERE subject = 'to the team'`);
      expect(copies.map((r) => r.mailbox_id).sort()).toEqual([alice.mailboxId, bob.mailboxId].sort());
      const rows = await queueRows(`rcpt_to = 'partner@remote.example'`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ mail_from: 'boss@remote.example', mailbox_id: null, blob_id: copies[0]!.blob_id, tenant_id: alice.tenantId });
      expect(new Set(copies.map((r) => r.blob_id)).size).toBe(1);
    });

    it('resolves an alias of many destinations (the lookup with arrays) as one of few (one parameter per key)', async () => {
      const crew = await Promise.all(Array.from({ length: 6 }, (_, i) => f.mailbox(`crew${i}@mx.test`)));
      await f.alias('crew@mx.test', crew.map((_, i) => `crew${i}@mx.test`));
      const c = await session('boss@remote.example');
      try {
        expect(await c.command('RCPT TO:<crew@mx.test>')).toMatch(/^250 /);
        expect(await c.command('RCPT TO:<crew0@mx.test>')).toMatch(/^250 /);
        expect(await c.command('RCPT TO:<nobody@mx.test>')).toMatch(/^550 5\.1\.1 /);
        await c.command('DATA');
        expect(await c.command('Subject: all hands\r\n\r\nhello crew\r\n.')).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 6 recipients/);
      } finally {
        c.close();
      }
      const copies = await f.query<{ mailbox_id: string }>(`SELECT mailbox_id FROM messages WHERE subject = 'all hands'`);
      expect(copies.map((r) => r.mailbox_id).sort()).toEqual(crew.map((m) => m.mailboxId).sort());
    });

    it('delivers subaddresses to the base mailbox and unknown users to the catch-all', async () => {
      await f.mailbox('catch@other.test');
      const owner = await f.mailbox('owner@other.test');
      await f.alias('@other.test', ['owner@other.test']);
      const c = await session();
      try {
        expect(await c.command('RCPT TO:<alice+lists@mx.test>')).toMatch(/^250 /);
        expect(await c.command('RCPT TO:<anybody@other.test>')).toMatch(/^250 /);
        await c.command('DATA');
        expect(await c.command('Subject: sub and catch\r\n\r\nx\r\n.')).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 2 recipients/);
      } finally {
        c.close();
      }
      expect((await f.inbox(alice.mailboxId)).some((m) => m.includes('Subject: sub and catch'))).toBe(true);
      expect((await f.inbox(owner.mailboxId)).some((m) => m.includes('Subject: sub and catch'))).toBe(true);
    });

    it('forwards with and without a kept copy, keeping the original envelope sender', async () => {
      const away = await f.mailbox('fwd@mx.test', { forwardTo: ['elsewhere@remote.example'], forwardKeepCopy: false });
      const keep = await f.mailbox('keep@mx.test', { forwardTo: ['archive@remote.example', 'bob@mx.test'], forwardKeepCopy: true });
      const c = await session('origin@remote.example');
      try {
        expect(await c.command('RCPT TO:<fwd@mx.test>')).toMatch(/^250 /);
        expect(await c.command('RCPT TO:<keep@mx.test>')).toMatch(/^250 /);
        await c.command('DATA');
        expect(await c.command('Subject: forwarded\r\n\r\nx\r\n.')).toMatch(/^250 /);
      } finally {
        c.close();
      }
      expect(await f.inbox(away.mailboxId)).toEqual([]);
      expect((await f.inbox(keep.mailboxId)).length).toBe(1);
      expect((await f.inbox(bob.mailboxId)).some((m) => m.includes('Subject: forwarded'))).toBe(true);
      const rows = await queueRows(`rcpt_to IN ('elsewhere@remote.example', 'archive@remote.example')`);
      expect(rows.map((r) => [r.rcpt_to, r.mail_from, r.mailbox_id]).sort()).toEqual(
        [
          ['archive@remote.example', 'origin@remote.example', keep.mailboxId],
          ['elsewhere@remote.example', 'origin@remote.example', away.mailboxId],
        ].sort(),
      );
      // Two forwarding mailboxes: two queue groups, still one blob.
      expect(new Set(rows.map((r) => r.blob_id)).size).toBe(1);
      // The queue lifetime comes from DARWIN_QUEUE_LIFETIME, set when the forward is queued.
      expect(await lifetimes(`rcpt_to IN ('elsewhere@remote.example', 'archive@remote.example')`)).toEqual([3 * 86_400, 3 * 86_400]);
    });
  });

  describe('one store transaction per SMTP transaction', () => {
    it('stores local copies and the forwards of two mailboxes with ONE store.accept: every row shares the blob', async () => {
      const one = await f.mailbox('fwd-one@mx.test', { forwardTo: ['one@remote.example'], forwardKeepCopy: true });
      const two = await f.mailbox('fwd-two@mx.test', { forwardTo: ['two@remote.example'], forwardKeepCopy: false });
      const accept = vi.spyOn(f.store, 'accept');
      try {
        const c = await session('multi@remote.example');
        try {
          expect(await c.command('RCPT TO:<fwd-one@mx.test>')).toMatch(/^250 /);
          expect(await c.command('RCPT TO:<fwd-two@mx.test>')).toMatch(/^250 /);
          expect(await c.command('RCPT TO:<alice@mx.test>')).toMatch(/^250 /);
          await c.command('DATA');
          expect(await c.command('Subject: two groups\r\n\r\nx\r\n.')).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 2 recipients, 2 queued for delivery/);
        } finally {
          c.close();
        }
        expect(accept).toHaveBeenCalledTimes(1);
        const [, request] = accept.mock.calls[0]!;
        expect(Array.isArray(request.outbound) ? request.outbound.map((g) => g.mailboxId) : request.outbound).toEqual([one.mailboxId, two.mailboxId]);
      } finally {
        accept.mockRestore();
      }
      const copies = await f.query<{ mailbox_id: string; blob_id: string }>(`SELECT mailbox_id, blob_id FROM messages WHERE subject = 'two groups'`);
      expect(copies.map((r) => r.mailbox_id).sort()).toEqual([one.mailboxId, alice.mailboxId].sort());
      const rows = await queueRows(`rcpt_to IN ('one@remote.example', 'two@remote.example')`);
      expect(rows.map((r) => [r.rcpt_to, r.mailbox_id])).toEqual([
        ['one@remote.example', one.mailboxId],
        ['two@remote.example', two.mailboxId],
      ]);
      expect(new Set([...copies, ...rows].map((r) => r.blob_id))).toEqual(new Set([copies[0]!.blob_id]));
      const [blob] = await f.query<{ refcount: number }>('SELECT refcount FROM blobs WHERE id = $1', [copies[0]!.blob_id]);
      expect(blob!.refcount).toBe(4);
    });

    it('stores nothing at all when the second forward group fails: 451, no copy, no queue row, no blob, no quota charge', async () => {
      const first = await f.mailbox('fail-one@mx.test', { forwardTo: ['fine@remote.example'], forwardKeepCopy: true });
      await f.mailbox('fail-two@mx.test', { forwardTo: ['poison@remote.example'], forwardKeepCopy: false });
      // A recipient the database refuses, standing in for any failure of the second group's INSERT.
      await f.query(`ALTER TABLE outbound_queue ADD CONSTRAINT test_poison CHECK (rcpt_to <> 'poison@remote.example')`);
      const before = await f.query<{ blobs: number; used: string; received: number }>(
        `SELECT (SELECT count(*)::int FROM blobs) AS blobs, (SELECT used_bytes FROM mailboxes WHERE id = $1) AS used,
                (SELECT coalesce(sum(received_messages), 0)::int FROM mail_stats_daily WHERE mailbox_id = ANY($2::uuid[])) AS received`,
        [first.mailboxId, [first.mailboxId, alice.mailboxId]],
      );
      try {
        const c = await session('atomic@remote.example');
        try {
          expect(await c.command('RCPT TO:<alice@mx.test>')).toMatch(/^250 /);
          expect(await c.command('RCPT TO:<fail-one@mx.test>')).toMatch(/^250 /);
          expect(await c.command('RCPT TO:<fail-two@mx.test>')).toMatch(/^250 /);
          await c.command('DATA');
          expect(await c.command('Subject: all or nothing\r\n\r\nx\r\n.')).toMatch(/^451 4\.3\.0 /);
        } finally {
          c.close();
        }
      } finally {
        await f.query('ALTER TABLE outbound_queue DROP CONSTRAINT test_poison');
      }
      expect(await f.query(`SELECT 1 FROM messages WHERE subject = 'all or nothing'`)).toEqual([]);
      expect(await queueRows(`mail_from = 'atomic@remote.example'`)).toEqual([]);
      const after = await f.query<{ blobs: number; used: string; received: number }>(
        `SELECT (SELECT count(*)::int FROM blobs) AS blobs, (SELECT used_bytes FROM mailboxes WHERE id = $1) AS used,
                (SELECT coalesce(sum(received_messages), 0)::int FROM mail_stats_daily WHERE mailbox_id = ANY($2::uuid[])) AS received`,
        [first.mailboxId, [first.mailboxId, alice.mailboxId]],
      );
      expect(after).toEqual(before);
    });
  });

  describe('DSN (RFC 3461)', () => {
    it('keeps RET, ENVID, NOTIFY and ORCPT in the queue rows of a forward', async () => {
      await f.mailbox('dsnfwd@mx.test', { forwardTo: ['target@remote.example'], forwardKeepCopy: false });
      const c = await session('dsn@remote.example', ' RET=HDRS ENVID=env+2Did-1');
      try {
        expect(await c.command('RCPT TO:<dsnfwd@mx.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;dsnfwd@mx.test')).toMatch(/^250 /);
        await c.command('DATA');
        expect(await c.command('Subject: dsn params\r\n\r\nx\r\n.')).toMatch(/^250 /);
      } finally {
        c.close();
      }
      const [row] = await queueRows(`rcpt_to = 'target@remote.example'`);
      expect(row!.dsn).toEqual({ ret: 'HDRS', envid: 'env-id-1', notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;dsnfwd@mx.test' });
    });

    it('sends a failure DSN (null sender) for a recipient that failed after others were stored, and a success DSN when asked', async () => {
      const tight = await f.mailbox('tight@mx.test', { quotaBytes: 1500 });
      const c = await session('writer@remote.example', ' ENVID=abc');
      try {
        expect(await c.command('RCPT TO:<alice@mx.test> NOTIFY=SUCCESS')).toMatch(/^250 /);
        expect(await c.command('RCPT TO:<tight@mx.test>')).toMatch(/^250 /);
        await c.command('DATA');
        expect(await c.command('Subject: partly\r\nMessage-ID: <partly@remote.example>\r\n\r\n' + 'q'.repeat(1600) + '\r\n.')).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient/);
      } finally {
        c.close();
      }
      expect(await f.inbox(tight.mailboxId)).toEqual([]);
      const dsns = await queueRows(`rcpt_to = 'writer@remote.example'`);
      expect(dsns).toHaveLength(2);
      expect(await lifetimes(`rcpt_to = 'writer@remote.example'`)).toEqual([3 * 86_400, 3 * 86_400]);
      expect(dsns.every((r) => r.mail_from === '' && r.mailbox_id === null)).toBe(true);
      const texts = await Promise.all(dsns.map((r) => blobText(r.blob_id)));
      const failure = texts.find((t) => t.includes('Action: failed'))!;
      expect(failure).toContain('Final-Recipient: rfc822; tight@mx.test');
      expect(failure).toContain('Status: 5.2.2');
      expect(failure).toContain('Original-Envelope-Id: abc');
      expect(failure).toContain('In-Reply-To: <partly@remote.example>');
      const success = texts.find((t) => t.includes('Action: delivered'))!;
      expect(success).toContain('Final-Recipient: rfc822; alice@mx.test');
      expect(success).toContain('Content-Type: text/rfc822-headers');
    });

    it('sends no DSN with NOTIFY=NEVER and never to the null sender', async () => {
      const tight2 = await f.mailbox('tight2@mx.test', { quotaBytes: 1500 });
      for (const [from, notify] of [['never@remote.example', ' NOTIFY=NEVER'], ['', '']] as const) {
        const c = await session(from);
        try {
          await c.command('RCPT TO:<alice@mx.test>');
          await c.command(`RCPT TO:<tight2@mx.test>${notify}`);
          await c.command('DATA');
          expect(await c.command('Subject: no dsn\r\n\r\n' + 'q'.repeat(1600) + '\r\n.')).toMatch(/^250 /);
        } finally {
          c.close();
        }
      }
      expect(await f.inbox(tight2.mailboxId)).toEqual([]);
      expect(await queueRows(`rcpt_to = 'never@remote.example'`)).toEqual([]);
    });
  });
});
