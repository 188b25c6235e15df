import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildDsn, rfc5322Date, type DsnOptions } from './dsn.js';

const original = Buffer.from(
  'From: Alice <alice@darwin.test>\r\nTo: bob@remote.example\r\nSubject: Lunch?\r\nMessage-ID: <lunch-1@darwin.test>\r\n\r\nAre you free at noon?\r\n',
);

const base: DsnOptions = {
  reportingMta: 'mail.darwin.test',
  arrivalDate: new Date('2026-11-26T10:00:00Z'),
  recipients: [{ finalRecipient: 'bob@remote.example', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <bob@remote.example>: no such user', remoteMta: 'mx.remote.example' }],
  original,
  ret: 'FULL',
  to: 'alice@darwin.test',
  from: 'MAILER-DAEMON@mail.darwin.test',
  date: new Date('2026-11-26T10:05:00Z'),
};

/** Splits a multipart body into its parts (headers and body as text), by hand. */
function parts(raw: Buffer): { headers: string; body: string }[] {
  const text = raw.toString('utf8');
  const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
  const sections = text.split(`--${boundary}`);
  expect(sections.at(-1)).toBe('--\r\n');
  return sections.slice(1, -1).map((s) => {
    const body = s.replace(/^\r\n/, '');
    const end = body.indexOf('\r\n\r\n');
    return { headers: body.slice(0, end), body: body.slice(end + 4) };
  });
}

/** The fields of a message/delivery-status body, as a list of groups of name -> value. */
function statusGroups(body: string): Record<string, string>[] {
  return body
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n\r\n')
    .filter((g) => g.trim() !== '')
    .map((g) => Object.fromEntries(g.split('\r\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])));
}

describe('buildDsn', () => {
  it('builds a multipart/report that mailparser reads back, auto-submitted, with the original attached (RET=FULL)', async () => {
    const sut = await buildDsn({ ...base, originalEnvelopeId: 'env-42', recipients: [{ ...base.recipients[0]!, originalRecipient: 'rfc822;Bob@Remote.Example' }] });
    expect(sut.includes('\n') && !/[^\r]\n/.test(sut.toString('latin1'))).toBe(true);
    const parsed = await simpleParser(sut);
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.from?.value[0]?.address).toBe('MAILER-DAEMON@mail.darwin.test');
    expect((parsed.to as { value: { address: string }[] }).value[0]?.address).toBe('alice@darwin.test');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('in-reply-to')).toBe('<lunch-1@darwin.test>');
    const ct = parsed.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(ct.value).toBe('multipart/report');
    expect(ct.params['report-type']).toBe('delivery-status');
    expect(parsed.text).toContain('<bob@remote.example> (host mx.remote.example):');
    expect(parsed.text).toContain('550 5.1.1 <bob@remote.example>: no such user');

    const [human, status, orig] = parts(sut);
    expect(human!.headers).toContain('Content-Type: text/plain; charset=utf-8');
    expect(status!.headers).toContain('Content-Type: message/delivery-status');
    const [perMessage, perRecipient] = statusGroups(status!.body);
    expect(perMessage).toEqual({ 'reporting-mta': 'dns; mail.darwin.test', 'original-envelope-id': 'env-42', 'arrival-date': 'Thu, 26 Nov 2026 10:00:00 +0000' });
    expect(perRecipient).toEqual({
      'final-recipient': 'rfc822; bob@remote.example',
      'original-recipient': 'rfc822; Bob@Remote.Example',
      action: 'failed',
      status: '5.1.1',
      'remote-mta': 'dns; mx.remote.example',
      'diagnostic-code': 'smtp; 550 5.1.1 <bob@remote.example>: no such user',
    });
    expect(orig!.headers).toContain('Content-Type: message/rfc822');
    expect(orig!.body).toBe(original.toString('utf8'));
  });

  it('returns only the headers with RET=HDRS, reading a stream no further than the blank line', async () => {
    let pulled = 0;
    async function* source() {
      for (const piece of [original.subarray(0, 20), original.subarray(20, 120), Buffer.from('\r\nbody that must not be read\r\n')]) {
        pulled++;
        yield piece;
      }
    }
    const sut = await buildDsn({ ...base, ret: 'HDRS', original: source() });
    const [, , orig] = parts(sut);
    expect(orig!.headers).toContain('Content-Type: text/rfc822-headers');
    expect(orig!.body).toBe(original.toString('utf8').split('\r\n\r\n')[0] + '\r\n');
    expect(sut.toString()).not.toContain('noon');
    expect(pulled).toBe(2);
    expect(sut.toString()).not.toContain('must not be read');
  });

  it('accepts a Readable (the blob stream) and falls back to headers when the original exceeds maxFullBytes', async () => {
    const big = Buffer.concat([original, Buffer.alloc(5000, 'x'), Buffer.from('\r\n')]);
    const stream = Readable.from([big.subarray(0, 1000), big.subarray(1000)]);
    const sut = await buildDsn({ ...base, original: stream, maxFullBytes: 2000 });
    const [human, , orig] = parts(sut);
    expect(orig!.headers).toContain('Content-Type: text/rfc822-headers');
    expect(human!.body).toContain('too large to return');
    expect(sut.toString()).not.toContain('xxxxxxxxxx');
  });

  it('groups several recipients of one message in one report, with delayed fields', async () => {
    const until = new Date('2026-12-01T10:00:00Z');
    const sut = await buildDsn({
      ...base,
      recipients: [
        { finalRecipient: 'a@x.example', action: 'failed', status: '5.1.10', diagnostic: 'Domain x.example accepts no mail (null MX)' },
        { finalRecipient: 'b@y.example', action: 'delayed', status: '4.4.1', diagnostic: 'connection refused', willRetryUntil: until, lastAttemptDate: base.date },
      ],
    });
    const parsed = await simpleParser(sut);
    expect(parsed.subject).toBe('Delivery Status Notification');
    const [, status] = parts(sut);
    const [, a, b] = statusGroups(status!.body);
    expect(a).toMatchObject({ 'final-recipient': 'rfc822; a@x.example', status: '5.1.10', 'diagnostic-code': 'X-Darwin; Domain x.example accepts no mail (null MX)' });
    expect(b).toMatchObject({ action: 'delayed', status: '4.4.1', 'will-retry-until': rfc5322Date(until), 'last-attempt-date': 'Thu, 26 Nov 2026 10:05:00 +0000' });
    expect(parsed.text).toContain('Retrying until Tue, 01 Dec 2026 10:00:00 +0000');
  });

  it('keeps injected line breaks and 8-bit text out of the report fields; encodes UTF-8 addresses', async () => {
    const sut = await buildDsn({
      ...base,
      originalEnvelopeId: 'x\r\nBcc: evil@example.com',
      recipients: [{ finalRecipient: 'jörg@bücher.example', action: 'failed', status: '5.0.0', diagnostic: '550 bad\r\nX-Injected: yes ✓' }],
    });
    const [, status] = parts(sut);
    expect(status!.body).not.toMatch(/^Bcc:/m);
    expect(status!.body).not.toMatch(/^X-Injected:/m);
    expect(status!.body).toContain('Final-Recipient: utf-8; j\\x{F6}rg@b\\x{FC}cher.example');
    expect(/[^\x00-\x7f]/.test(status!.body)).toBe(false);
  });

  it('marks an 8-bit original 8bit, folds a long diagnostic, and refuses the null sender and bad status codes', async () => {
    const eight = Buffer.from('Subject: café\r\n\r\nnaïve\r\n');
    const long = `550 5.7.1 ${'very long explanation '.repeat(10)}`;
    const sut = await buildDsn({ ...base, original: eight, recipients: [{ ...base.recipients[0]!, diagnostic: long }] });
    const [, status, orig] = parts(sut);
    expect(orig!.headers).toContain('Content-Transfer-Encoding: 8bit');
    for (const line of status!.body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(statusGroups(status!.body)[1]!['diagnostic-code']).toBe(`smtp; ${long.trim()}`);
    await expect(buildDsn({ ...base, to: '' })).rejects.toThrow(/null sender/);
    await expect(buildDsn({ ...base, recipients: [{ ...base.recipients[0]!, status: '550' }] })).rejects.toThrow(/status/);
  });

  it('works from a header block alone', async () => {
    const sut = await buildDsn({ ...base, original: undefined, originalHeaders: Buffer.from('Subject: only headers\r\n'), ret: 'FULL' });
    const [human, , orig] = parts(sut);
    expect(orig!.headers).toContain('text/rfc822-headers');
    expect(orig!.body).toBe('Subject: only headers\r\n');
    expect(human!.body).toContain("headers are attached");
  });
});
