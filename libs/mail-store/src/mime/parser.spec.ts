import { describe, expect, it } from 'vitest';
import { parseAddressList } from './address.js';
import { MimeStructureParser, parseMessage } from './parser.js';
import type { MimePart } from './structure.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

const NESTED = crlf(`From: "Doe, Jane" <jane@example.org>
To: a@example.com, Group: b@example.com, c@example.com;
Subject: =?UTF-8?Q?caf=C3=A9?= report
Date: Thu, 26 Nov 2026 10:00:00 +0000
Message-ID: <id1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello w=C3=B6rld
second line
--inner
Content-Type: text/html; charset=utf-8

<p>Hello <b>HTML</b> &amp; friends</p>
--inner--
--outer
Content-Type: message/rfc822

From: inner@example.net
Subject: inside

Inner body.
--outer
Content-Type: application/octet-stream; name="a.bin"
Content-Disposition: attachment; filename="a.bin"
Content-Transfer-Encoding: base64

AAECAw==
--outer--
epilogue
`);

function slice(raw: Buffer, from: number, to: number): string {
  return raw.subarray(from, to).toString('latin1');
}

describe('MimeStructureParser', () => {
  it('finds every part with exact byte offsets, line counts, types and parameters', () => {
    const { structure, envelope, headerText, bodyText } = parseMessage(NESTED);
    const root = structure.root;
    expect(root.type).toBe('multipart');
    expect(root.be).toBe(NESTED.length);
    expect(slice(NESTED, root.bs, root.bs + 10)).toBe('preamble\r\n');
    const [alt, msg, bin] = root.parts!;
    expect(alt!.subtype).toBe('alternative');
    const [plain, html] = alt!.parts!;
    expect(slice(NESTED, plain!.bs, plain!.be)).toBe('Hello w=C3=B6rld\r\nsecond line');
    // Line feeds in the body, as Dovecot counts: the last line before a delimiter has none.
    expect(plain!.lines).toBe(1);
    expect(plain!.encoding).toBe('quoted-printable');
    expect(plain!.params).toEqual([['charset', 'utf-8']]);
    expect(slice(NESTED, plain!.hs, plain!.bs)).toBe('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n');
    expect(slice(NESTED, html!.bs, html!.be)).toBe('<p>Hello <b>HTML</b> &amp; friends</p>');
    // The multipart/alternative ends before the CRLF of the outer delimiter.
    expect(slice(NESTED, alt!.bs, alt!.be).endsWith('--inner--')).toBe(true);
    expect(msg!.type).toBe('message');
    expect(msg!.message!.envelope.subject).toBe('inside');
    expect(slice(NESTED, msg!.bs, msg!.be)).toBe('From: inner@example.net\r\nSubject: inside\r\n\r\nInner body.');
    expect(msg!.lines).toBe(3);
    const inner = msg!.message!.body;
    expect(slice(NESTED, inner.bs, inner.be)).toBe('Inner body.');
    expect(bin!.disposition).toEqual({ type: 'attachment', params: [['filename', 'a.bin']] });
    expect(slice(NESTED, bin!.bs, bin!.be)).toBe('AAECAw==');
    expect(envelope.subject).toBe('=?UTF-8?Q?caf=C3=A9?= report');
    expect(envelope.from).toEqual([{ name: 'Doe, Jane', adl: null, mailbox: 'jane', host: 'example.org' }]);
    expect(envelope.sender).toEqual(envelope.from);
    expect(envelope.to).toEqual([
      { name: null, adl: null, mailbox: 'a', host: 'example.com' },
      { name: null, adl: null, mailbox: 'Group', host: null },
      { name: null, adl: null, mailbox: 'b', host: 'example.com' },
      { name: null, adl: null, mailbox: 'c', host: 'example.com' },
      { name: null, adl: null, mailbox: null, host: null },
    ]);
    expect(envelope.messageId).toBe('<id1@example.org>');
    expect(headerText).toContain('subject: café report');
    expect(bodyText).toContain('Hello wörld');
    expect(bodyText).toContain('Hello HTML & friends');
    expect(bodyText).not.toContain('<b>');
  });

  it('gives the same result however the bytes are split (property over random chunkings)', () => {
    const whole = JSON.stringify(parseMessage(NESTED));
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let run = 0; run < 200; run++) {
      const p = new MimeStructureParser();
      let pos = 0;
      while (pos < NESTED.length) {
        const n = 1 + Math.floor(rand() * (run % 3 === 0 ? 3 : 60));
        p.push(NESTED.subarray(pos, pos + n));
        pos += n;
      }
      expect(JSON.stringify(p.end())).toBe(whole);
    }
  });

  it('a simple message: body offsets and lines; LF-only line ends; a last line without EOL', () => {
    const raw = Buffer.from('Subject: x\n\nline 1\nline 2');
    const { structure } = parseMessage(raw);
    expect(structure.root.bs).toBe(12);
    expect(structure.root.lines).toBe(1);
    expect(structure.root.type).toBe('text');
    expect(structure.root.params).toEqual([['charset', 'us-ascii']]);
    const two = parseMessage(crlf('Subject: y\n\nBody.\n'));
    expect(two.structure.root.lines).toBe(1);
    expect(two.structure.root.be - two.structure.root.bs).toBe(7);
  });

  it('a message without a body, a header without the blank line, and a multipart without parts', () => {
    expect(parseMessage(Buffer.from('Subject: only header\r\n')).structure.root).toMatchObject({ bs: 22, be: 22, lines: 0 });
    const empty = parseMessage(crlf('Content-Type: multipart/mixed; boundary=x\n\nno parts here\n')).structure.root;
    expect(empty.parts).toHaveLength(1);
    expect(empty.parts![0]!.be - empty.parts![0]!.bs).toBe(0);
  });

  it('caps the number of parts and the nesting depth', () => {
    let body = 'Content-Type: multipart/mixed; boundary=b\r\n\r\n';
    for (let i = 0; i < 50; i++) body += `--b\r\n\r\npart ${i}\r\n`;
    body += '--b--\r\n';
    const capped = parseMessage(Buffer.from(body), { maxParts: 10 }).structure.root;
    expect(capped.parts).toHaveLength(9);
    let deep = '';
    for (let i = 0; i < 30; i++) deep += `Content-Type: multipart/mixed; boundary=d${i}\r\n\r\n--d${i}\r\n`;
    deep += '\r\ninnermost\r\n';
    let depth = 0;
    let p: MimePart | undefined = parseMessage(Buffer.from(deep), { maxDepth: 5 }).structure.root;
    while (p?.parts) {
      depth++;
      p = p.parts[0];
    }
    expect(depth).toBe(5);
  });

  it('multipart/digest parts default to message/rfc822', () => {
    const raw = crlf('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: digested\n\nhi\n--d--\n');
    const part = parseMessage(raw).structure.root.parts![0]!;
    expect(part.type).toBe('message');
    expect(part.message!.envelope.subject).toBe('digested');
  });
});

describe('parseAddressList', () => {
  it.each([
    ['a@b.c', [{ name: null, adl: null, mailbox: 'a', host: 'b.c' }]],
    ['"Smith, J." <j@x.org>', [{ name: 'Smith, J.', adl: null, mailbox: 'j', host: 'x.org' }]],
    ['John Q. Public <jqp@x.org> (comment)', [{ name: 'John Q. Public', adl: null, mailbox: 'jqp', host: 'x.org' }]],
    ['<@r1,@r2:u@h>', [{ name: null, adl: '@r1,@r2', mailbox: 'u', host: 'h' }]],
    ['=?utf-8?q?J=C3=B6rg?= <j@x>', [{ name: '=?utf-8?q?J=C3=B6rg?=', adl: null, mailbox: 'j', host: 'x' }]],
    [
      'undisclosed-recipients:;',
      [
        { name: null, adl: null, mailbox: 'undisclosed-recipients', host: null },
        { name: null, adl: null, mailbox: null, host: null },
      ],
    ],
    ['', null],
  ])('%s', (input, expected) => {
    expect(parseAddressList(input)).toEqual(expected);
  });
});
