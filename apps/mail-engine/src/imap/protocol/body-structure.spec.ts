import { parseMessage } from '@darwin/mail-store';
import { describe, expect, it } from 'vitest';
import { applyPartial, filterHeader, resolveSection, writeBody, writeEnvelope } from './body-structure.js';
import { ResponseBuilder } from './compiler.js';

const RAW = Buffer.from(
  'Subject: s\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\none\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n--y\r\n\r\nalt1\r\n--y\r\n\r\nalt2\r\n--y--\r\n--x--\r\n',
);
const { structure, envelope } = parseMessage(RAW);
const text = (s: ReturnType<typeof resolveSection>) => (s.type === 'range' ? RAW.subarray(s.start, s.end).toString() : s.type);

describe('resolveSection', () => {
  it.each([
    [[1], undefined, 'one'],
    [[1], 'MIME', 'Content-Type: text/plain\r\n\r\n'],
    [[2], 'HEADER', 'Subject: inner\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n'],
    [[2, 1], undefined, 'alt1'],
    [[2, 2], 'MIME', '\r\n'],
    [[3], undefined, 'missing'],
    [[1], 'TEXT', 'missing'],
    [[2, 1, 1], undefined, 'missing'],
  ] as const)('%j %s', (path, part, expected) => {
    expect(text(resolveSection(structure, RAW.length, { path, text: part }))).toBe(expected);
  });

  it('a single-part message is its own part 1', () => {
    const one = Buffer.from('Subject: x\r\n\r\nbody');
    const s = parseMessage(one).structure;
    const r = resolveSection(s, one.length, { path: [1] });
    expect(r.type === 'range' && one.subarray(r.start, r.end).toString()).toBe('body');
  });
});

describe('filterHeader / applyPartial', () => {
  it('keeps named fields with their continuation lines, or all others, and ends with the blank line', () => {
    const h = Buffer.from('From: a\r\nSubject: one\r\n two\r\nTo: b\r\n\r\n');
    expect(filterHeader(h, ['subject'], false).toString()).toBe('Subject: one\r\n two\r\n\r\n');
    expect(filterHeader(h, ['SUBJECT'], true).toString()).toBe('From: a\r\nTo: b\r\n\r\n');
    expect(filterHeader(h, ['x-none'], false).toString()).toBe('\r\n');
  });
  it('applies <offset.length> within bounds', () => {
    expect(applyPartial(10, { offset: 2, length: 3 })).toEqual({ start: 2, end: 5 });
    expect(applyPartial(10, { offset: 8, length: 30 })).toEqual({ start: 8, end: 10 });
    expect(applyPartial(10, { offset: 50 })).toEqual({ start: 10, end: 10 });
    expect(applyPartial(10, undefined)).toEqual({ start: 0, end: 10 });
  });
});

describe('writeBody / writeEnvelope', () => {
  it('writes multipart bodies back to back and message/rfc822 with its envelope and lines', () => {
    const b = new ResponseBuilder();
    writeBody(b, structure.root, false);
    expect(b.end().chunks[0]!.toString()).toBe(
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 0)("message" "rfc822" NIL NIL NIL "7bit" 98 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 4 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 4 0) "alternative") 9) "mixed")\r\n',
    );
    const e = new ResponseBuilder();
    writeEnvelope(e, envelope);
    expect(e.end().chunks[0]!.toString()).toBe('(NIL "s" NIL NIL NIL NIL NIL NIL NIL NIL)\r\n');
  });
});
