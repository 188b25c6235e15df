import type { AddressInfo } from 'node:net';
import { loadConfig } from '@darwin/config';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import nodemailer from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { createTestEngineContext } from '../testing/test-engine-context.js';
import { createMxServer } from './server.js';

async function readInbox(store: PgMailStore, mailboxId: string): Promise<Buffer[]> {
  const inbox = (await store.getFolder(mailboxId, 'INBOX'))!;
  const out: Buffer[] = [];
  for (const m of await store.listMessages(inbox.id)) {
    const parts: Buffer[] = [];
    for await (const c of store.openBlob(m.blobId)) parts.push(c as Buffer);
    out.push(Buffer.concat(parts));
  }
  return out;
}

describe('SMTP MX server', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let server: SMTPServer;
  let port: number;
  let alice: SeededMailbox;
  let full: SeededMailbox;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url });
    alice = await seedMailbox(db.dataSource, { address: 'alice@mx.test', password: 'alice-password' });
    full = await seedMailbox(db.dataSource, { address: 'full@mx.test', password: 'full-password', quotaBytes: 0 });
    const config = loadConfig({ DARWIN_HOSTNAME: 'mx.darwin.test', DARWIN_MAX_MESSAGE_BYTES: '64K', DARWIN_SMTP_MAX_RECEIVED: '5' });
    const logger = createLogger({ app: 'test' }, { level: 'error' });
    server = createMxServer(await createTestEngineContext({ store, config, logger }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await store?.close();
    await db?.drop();
  });

  it('delivers with nodemailer, prepending a Received header, body byte for byte', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.example' });
    const raw = 'From: bob@remote.example\r\nTo: alice@mx.test\r\nSubject: hi\r\n\r\n.starts with a dot\r\nnaïve café ✓\r\n';
    const info = await transport.sendMail({ envelope: { from: 'bob@remote.example', to: ['Alice@MX.test'] }, raw });
    expect(info.accepted).toHaveLength(1);
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient \(queued as [0-9A-F]{12}\)$/);
    const [stored] = await readInbox(store, alice.mailboxId);
    const text = stored!.toString('utf8');
    expect(text).toMatch(/^Received: from client\.example \(unknown \[127\.0\.0\.1\]\)\r\n\tby mx\.darwin\.test \(Darwin Mail\) with ESMTP id [0-9A-F]{12}\r\n\tfor <alice@mx\.test>;\r\n\t\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n/);
    expect(text.slice(text.indexOf('From: '))).toBe(raw);
  });

  it('rejects unknown users with 550 5.1.1 and relaying with 554 5.7.1, storing nothing', async () => {
    const c = await LineClient.open(port);
    try {
      expect(await c.readSmtpReply()).toMatch(/^220 mx\.darwin\.test ESMTP/);
      expect(await c.command('EHLO client.example')).toMatch(/250-ENHANCEDSTATUSCODES\r\n/);
      expect(await c.command('MAIL FROM:<bob@remote.example>')).toMatch(/^250 2\.1\.0/);
      expect(await c.command('RCPT TO:<nobody@mx.test>')).toBe('550 5.1.1 Recipient address rejected: no such user here\r\n');
      expect(await c.command('RCPT TO:<someone@elsewhere.example>')).toBe('554 5.7.1 Relay access denied\r\n');
      expect(await c.command('RCPT TO:<full@mx.test>')).toBe('452 4.2.2 Mailbox full, try again later\r\n');
      expect(await c.command('DATA')).toMatch(/^503 /);
      expect(await c.command('QUIT')).toMatch(/^221 /);
    } finally {
      c.close();
    }
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE mailbox_id <> $1', [alice.mailboxId]);
    expect(n).toBe(0);
    expect((await store.quota(full.mailboxId)).usedBytes).toBe(0);
  });

  it('refuses a message over the size limit after DATA and keeps the connection usable', async () => {
    const c = await LineClient.open(port);
    try {
      await c.readSmtpReply();
      expect(await c.command('EHLO client.example')).toMatch(/250[- ]SIZE 65536\r\n/);
      expect(await c.command('MAIL FROM:<bob@remote.example> SIZE=100000')).toMatch(/^552 /);
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
    expect((await readInbox(store, alice.mailboxId)).some((m) => m.includes('Subject: big'))).toBe(false);
  });

  it('detects mail loops by counting Received headers (554 5.4.6)', async () => {
    const c = await LineClient.open(port);
    try {
      await c.readSmtpReply();
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@mx.test>');
      await c.command('DATA');
      for (let i = 0; i < 5; i++) c.write(`Received: from hop${i} by hop${i + 1}; Thu, 26 Nov 2026 10:00:00 +0000\r\n`);
      c.write('Subject: loop\r\n\r\nbody\r\n');
      expect(await c.command('.')).toMatch(/^554 5\.4\.6 Too many hops \(6 Received headers\)/);
    } finally {
      c.close();
    }
  });

  it('does not end DATA on LF.LF or LF.CRLF (SMTP smuggling)', async () => {
    const c = await LineClient.open(port);
    try {
      await c.readSmtpReply();
      await c.command('EHLO client.example');
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@mx.test>');
      await c.command('DATA');
      c.write('Subject: smuggle\r\n\r\nfirst\n.\nMAIL FROM:<evil@x>\r\nsecond\n.\r\nRCPT TO:<x@y>\r\nend\r\n.\r\n');
      expect(await c.readSmtpReply()).toMatch(/^250 /);
    } finally {
      c.close();
    }
    const msgs = await readInbox(store, alice.mailboxId);
    const smuggled = msgs.find((m) => m.includes('Subject: smuggle'))!.toString();
    expect(smuggled).toContain('MAIL FROM:<evil@x>');
    expect(smuggled).toContain('RCPT TO:<x@y>');
  });
});
