import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { continuation, flagListText, isValidFlag, ResponseBuilder, sanitizeText, statusResponse, untagged, type CompiledResponse } from './compiler.js';

const wire = (r: CompiledResponse) => r.chunks.map((c) => (Buffer.isBuffer(c) ? c.toString('utf8') : `<stream ${c.size}>`)).join('');
const one = (fill: (b: ResponseBuilder) => void) => wire(untagged(fill));

describe('strings', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['with "quotes" and \\', '"with \\"quotes\\" and \\\\"'],
    ['gr\u00fc\u00dfe', '{7}\r\ngr\u00fc\u00dfe'],
    ['two\r\nlines', '{10}\r\ntwo\r\nlines'],
    ['nul\u0000', '{4}\r\nnul\u0000'],
    ['x'.repeat(1025), `{1025}\r\n${'x'.repeat(1025)}`],
  ])('string(%j)', (s, expected) => {
    expect(one((b) => b.string(s))).toBe(`* ${expected}\r\n`);
  });

  it.each([
    ['INBOX', 'INBOX'],
    ['Sent]', 'Sent]'],
    ['Sent Items', '"Sent Items"'],
    ['NIL', '"NIL"'],
    ['a%b', '"a%b"'],
    ['', '""'],
  ])('astring(%j)', (s, expected) => {
    expect(one((b) => b.astring(s))).toBe(`* ${expected}\r\n`);
  });

  it('nstring: NIL for null', () => {
    expect(one((b) => b.nstring(null).nstring('x'))).toBe('* NIL "x"\r\n');
  });
});

describe('items, lists and flags', () => {
  it('separates items with one space and none inside parentheses', () => {
    expect(one((b) => b.number(3).atom('FETCH').list((l) => l.atom('UID').number(7).atom('FLAGS').flags(['\\Seen', '$Junk'])))).toBe(
      '* 3 FETCH (UID 7 FLAGS (\\Seen $Junk))\r\n',
    );
    expect(one((b) => b.list(() => {}).list((l) => l.list(() => {})))).toBe('* () (())\r\n');
  });

  it('leaves out values that are not flags instead of corrupting the response', () => {
    expect(one((b) => b.flags(['\\Seen', 'has space', 'paren(', '\\*', 'ok', 'quote"', '']))).toBe('* (\\Seen \\* ok)\r\n');
    expect(isValidFlag('\\Answered')).toBe(true);
    expect(isValidFlag('$Forwarded')).toBe(true);
    expect(isValidFlag('a]')).toBe(false);
    expect(flagListText(['\\Seen', 'bad flag', '\\*'])).toBe('(\\Seen \\*)');
  });

  it('writes dates quoted with a zero-padded day (as Dovecot does)', () => {
    expect(one((b) => b.atom('INTERNALDATE').dateTime(new Date('2026-03-05T09:04:00Z')))).toBe('* INTERNALDATE "05-Mar-2026 09:04:00 +0000"\r\n');
  });

  it('refuses invalid atoms and numbers (a programming error, not client input)', () => {
    expect(() => one((b) => b.atom('a b'))).toThrow();
    expect(() => one((b) => b.number(-1))).toThrow();
    expect(() => one((b) => b.number(1.5))).toThrow();
  });

  it('a body is a literal header followed by a stream chunk of the declared size', () => {
    const r = new ResponseBuilder(true)
      .raw('* ')
      .number(1)
      .atom('FETCH')
      .list((l) => l.atom('UID').number(9).token('BODY[]').literalStream(5, () => Readable.from([Buffer.from('hello')])))
      .end();
    expect(wire(r)).toBe('* 1 FETCH (UID 9 BODY[] {5}\r\n<stream 5>)\r\n');
    expect(r.chunks).toHaveLength(3);
    expect(r.log).toBe('* 1 FETCH (UID 9 BODY[] {5}<5 bytes>)');
  });
});

describe('status lines and log mode', () => {
  it('tagged and untagged with codes', () => {
    expect(wire(statusResponse('a1', 'OK', 'Logged in', { name: 'CAPABILITY', args: 'IMAP4rev1 LITERAL+' }))).toBe('a1 OK [CAPABILITY IMAP4rev1 LITERAL+] Logged in\r\n');
    expect(wire(statusResponse('*', 'NO', 'Mailbox does not exist', { name: 'NONEXISTENT' }))).toBe('* NO [NONEXISTENT] Mailbox does not exist\r\n');
    expect(wire(continuation('Ready'))).toBe('+ Ready\r\n');
  });

  it('sanitises text: one line, never starting with "["', () => {
    expect(sanitizeText('a\r\nb')).toBe('a b');
    expect(sanitizeText('[fake] x')).toBe('- [fake] x');
    expect(sanitizeText('')).toBe('Done.');
  });

  it('log mode masks secrets and elides literal contents', () => {
    const r = untagged((b) => b.atom('X').secretString('hunter2').string('line\r\nbreak'), true);
    expect(wire(r)).toContain('hunter2');
    expect(r.log).toBe('* X *** {11}<11 bytes>');
  });
});
