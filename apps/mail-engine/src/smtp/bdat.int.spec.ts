import type { SeededMailbox } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/** CHUNKING (RFC 3030): BDAT added to smtp-server by our connection class. */
describe('SMTP BDAT (CHUNKING)', () => {
  let f: SmtpFixture;
  let alice: SeededMailbox;

  beforeAll(async () => {
    f = await startSmtpFixture({ DARWIN_MAX_MESSAGE_BYTES: '4K' });
    alice = await f.mailbox('alice@bdat.test');
  });
  afterAll(async () => {
    await f?.close();
  });

  async function ready(): Promise<LineClient> {
    const c = await LineClient.open(f.ports.mx);
    await c.reply();
    expect(await c.command('EHLO client.example')).toContain('250-CHUNKING');
    return c;
  }

  const stored = async (subject: string) => (await f.inbox(alice.mailboxId)).filter((m) => m.includes(`Subject: ${subject}`));

  it('stores a message sent in several chunks, octets as they are (no dot-stuffing, bare CRLF.CRLF inside)', async () => {
    const c = await ready();
    try {
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@bdat.test>');
      const part1 = 'Subject: chunked\r\n\r\nline one\r\n.\r\n';
      const part2 = '..two dots stay\r\nend\r\n';
      c.write(`BDAT ${Buffer.byteLength(part1)}\r\n${part1}`);
      expect(await c.reply()).toBe(`250 2.0.0 ${Buffer.byteLength(part1)} octets received\r\n`);
      c.write(`BDAT ${Buffer.byteLength(part2)} LAST\r\n${part2}`);
      expect(await c.reply()).toMatch(/^250 2\.0\.0 Ok: stored \d+ bytes for 1 recipient/);
      expect(await c.command('NOOP')).toMatch(/^250 /);
    } finally {
      c.close();
    }
    const [m] = await stored('chunked');
    expect(m!.slice(m!.indexOf('Subject: chunked'))).toBe('Subject: chunked\r\n\r\nline one\r\n.\r\n..two dots stay\r\nend\r\n');
  });

  it('answers a pipelined transaction in order, with commands right after a chunk and BDAT 0 LAST', async () => {
    const c = await ready();
    try {
      const body = 'Subject: pipelined bdat\r\n\r\nhello\r\n';
      c.write(`MAIL FROM:<bob@remote.example>\r\nRCPT TO:<alice@bdat.test>\r\nBDAT ${Buffer.byteLength(body)}\r\n${body}BDAT 0 LAST\r\nNOOP\r\n`);
      expect(await c.reply()).toMatch(/^250 2\.1\.0/);
      expect(await c.reply()).toMatch(/^250 2\.1\.5/);
      expect(await c.reply()).toMatch(/octets received/);
      expect(await c.reply()).toMatch(/^250 2\.0\.0 Ok: stored/);
      expect(await c.reply()).toMatch(/^250 2\.0\.0 OK/);
    } finally {
      c.close();
    }
    expect(await stored('pipelined bdat')).toHaveLength(1);
  });

  it('consumes the chunk of a refused BDAT so that its bytes are never read as commands', async () => {
    const c = await ready();
    try {
      const evil = 'RSET\r\nMAIL FROM:<x@y>\r\n';
      c.write(`BDAT ${evil.length} LAST\r\n${evil}`);
      expect(await c.reply()).toMatch(/^503 5\.5\.1 Error: need MAIL command/);
      expect(await c.command('NOOP')).toMatch(/^250 /);
      expect(c.pending).toBe('');
      await c.command('MAIL FROM:<bob@remote.example>');
      c.write(`BDAT ${evil.length}\r\n${evil}`);
      expect(await c.reply()).toMatch(/^503 5\.5\.1 Error: need RCPT command/);
    } finally {
      c.close();
    }
  });

  it('refuses DATA inside a BDAT transaction, drops the message on RSET, and rejects a chunk over the size limit', async () => {
    const c = await ready();
    try {
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@bdat.test>');
      const part = 'Subject: dropped\r\n\r\nx';
      c.write(`BDAT ${part.length}\r\n${part}`);
      expect(await c.reply()).toMatch(/^250 /);
      expect(await c.command('DATA')).toMatch(/^503 5\.5\.1 /);
      expect(await c.command('RSET')).toMatch(/^250 /);
      // The transaction is gone: a BDAT now is refused once its octets have been read.
      c.write('BDAT 5 LAST\r\nQUIT\n');
      expect(await c.reply()).toMatch(/^503 5\.5\.1 /);
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@bdat.test>');
      const big = 'Subject: too big\r\n\r\n' + 'b'.repeat(5000);
      c.write(`BDAT ${big.length}\r\n${big}`);
      expect(await c.reply()).toMatch(/^552 5\.3\.4 /);
      c.write('BDAT 2 LAST\r\nxx');
      expect(await c.reply()).toMatch(/^552 5\.3\.4 /);
      expect(await c.command('MAIL FROM:<bob@remote.example>')).toMatch(/^250 /);
    } finally {
      c.close();
    }
    expect(await stored('dropped')).toEqual([]);
    expect(await stored('too big')).toEqual([]);
  });

  it('closes the connection on a BDAT line it cannot parse (501), and stores nothing when the client leaves mid-chunk', async () => {
    const c = await ready();
    try {
      await c.command('MAIL FROM:<bob@remote.example>');
      await c.command('RCPT TO:<alice@bdat.test>');
      expect(await c.command('BDAT lots')).toMatch(/^501 5\.5\.4 /);
      await c.waitClosed();
    } finally {
      c.close();
    }
    const d = await ready();
    await d.command('MAIL FROM:<bob@remote.example>');
    await d.command('RCPT TO:<alice@bdat.test>');
    d.write('BDAT 100 LAST\r\nSubject: half\r\n\r\nonly part');
    await new Promise((r) => setTimeout(r, 100));
    d.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(await stored('half')).toEqual([]);
  });
});
