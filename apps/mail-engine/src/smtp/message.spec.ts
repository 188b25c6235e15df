import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseMessage, spoolBuffer, type SpooledMessage } from '@darwin/mail-store';
import { describe, expect, it } from 'vitest';
import { BareLfFilter, countReceived, receiveMessage, rewriteMessage } from './message.js';

async function bytes(m: SpooledMessage, chunkSize = 7): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of m.chunks(chunkSize)) parts.push(c);
  return Buffer.concat(parts);
}

describe('BareLfFilter', () => {
  it.each([
    ['a\r\nb\r\n', 'a\r\nb\r\n', 0],
    ['a\nb\n', 'a\r\nb\r\n', 2],
    ['first\n.\nsecond\r\n', 'first\r\n.\r\nsecond\r\n', 2],
    ['x\r\n.\nMAIL FROM:<e@x>\r\n', 'x\r\n.\r\nMAIL FROM:<e@x>\r\n', 1],
    ['\n', '\r\n', 1],
  ])('normalises %j', (input, expected, count) => {
    const sut = new BareLfFilter('normalize');
    // fed one byte at a time: a CR at the end of one chunk and the LF at the start of the next is not bare
    const out = Buffer.concat([...Buffer.from(input)].map((b) => sut.push(Buffer.from([b])))).toString();
    expect(out).toBe(expected);
    expect(sut.count).toBe(count);
  });

  it('only counts in reject mode', () => {
    const sut = new BareLfFilter('reject');
    expect(sut.push(Buffer.from('a\nb\r\n')).toString()).toBe('a\nb\r\n');
    expect(sut.count).toBe(1);
  });
});

describe('receiveMessage', () => {
  it('spools and marks oversize without failing', async () => {
    const r = await receiveMessage(Readable.from([Buffer.from('Subject: x\r\n\r\n'), Buffer.from('y'.repeat(100))]), { maxBytes: 50, bareLf: 'normalize' });
    expect(r.message.oversize).toBe(true);
    await r.message.dispose();
  });
});

describe('rewriteMessage', () => {
  it('puts a prefix in front, drops matching fields, and computes size and hash of the result', async () => {
    const raw = await spoolBuffer(
      Buffer.from(
        'Received: from a by b\r\nAuthentication-Results: mx.darwin.test;\r\n spf=pass\r\nAuthentication-Results: other.example; spf=fail\r\nSubject: hi\r\n\r\nbody\r\nAuthentication-Results: mx.darwin.test; not a header\r\n',
      ),
    );
    expect(countReceived(raw)).toBe(1);
    const sut = await rewriteMessage(raw, Buffer.from('X-Ours: 1\r\n'), (name, value) => name === 'authentication-results' && /^mx\.darwin\.test(;|\s|$)/.test(value));
    const text = 'X-Ours: 1\r\nReceived: from a by b\r\nAuthentication-Results: other.example; spf=fail\r\nSubject: hi\r\n\r\nbody\r\nAuthentication-Results: mx.darwin.test; not a header\r\n';
    expect((await bytes(sut)).toString()).toBe(text);
    expect((await bytes(sut, 1000)).toString()).toBe(text);
    expect(sut.size).toBe(Buffer.byteLength(text));
    expect(sut.sha256.equals(createHash('sha256').update(text).digest())).toBe(true);
    expect(sut.headerBytes.toString()).toContain('Subject: hi');
  });
});

describe('prefixedMime', () => {
  const messages = [
    'From: a@b.example\r\nTo: c@d.example\r\nSubject: plain\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@b.example>\r\n\r\nhello\r\n',
    'Subject: no ids\r\n\r\nbody\r\n',
    'Subject: headers only\r\n',
    [
      'From: a@b.example',
      'Subject: nested',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Grüße',
      '--outer',
      'Content-Type: message/rfc822',
      '',
      'From: x@y.example',
      'Subject: inner',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/html',
      '',
      '<p>hi</p>',
      '--inner--',
      '--outer--',
      '',
    ].join('\r\n'),
  ];
  const prefix = Buffer.from('Authentication-Results: mx.darwin.test;\r\n dkim=none\r\nReceived: from a (b [127.0.0.1])\r\n\tby mx; Thu, 26 Nov 2026 10:00:00 +0000\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\nMessage-ID: <added@mx.darwin.test>\r\n');

  it.each(messages.map((m) => [m.split('\r\n').find((l) => l.startsWith('Subject'))!, m]))('equals a parse of the whole message (%s)', async (_, m) => {
    const raw = await spoolBuffer(Buffer.from(m));
    const sut = await rewriteMessage(raw, prefix);
    // The spool leaves body text for the first body search (pg/body-text.ts).
    expect(sut.mime).toEqual(parseMessage(Buffer.concat([prefix, Buffer.from(m)]), { maxBodyText: 0 }));
  });

  it('is left to the store when fields were dropped', async () => {
    const raw = await spoolBuffer(Buffer.from('Authentication-Results: mx.darwin.test; forged\r\nSubject: x\r\n\r\nb\r\n'));
    expect((await rewriteMessage(raw, prefix, (n) => n === 'authentication-results')).mime).toBeUndefined();
  });
});
