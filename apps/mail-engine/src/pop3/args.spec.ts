import { describe, expect, it } from 'vitest';
import { messageAndLineCount, messageNumber, noArgs, optionalMessageNumber, requiredName, restOfLine } from './args.js';

describe('argument parsers', () => {
  it.each([
    ['', { ok: true, value: undefined }],
    ['  ', { ok: true, value: undefined }],
    ['x', { ok: false, error: 'This command takes no arguments.' }],
  ])('noArgs(%j)', (raw, expected) => expect(noArgs(raw)).toEqual(expected));

  it.each([
    ['1', { ok: true, value: 1 }],
    ['007 ', { ok: true, value: 7 }],
    ['0', { ok: true, value: 0 }],
    ['', { ok: false, error: 'Message number required.' }],
    ['1 2', { ok: false, error: 'Too many arguments.' }],
    ['-1', { ok: false, error: 'Invalid message number.' }],
    ['1.5', { ok: false, error: 'Invalid message number.' }],
    ['abc', { ok: false, error: 'Invalid message number.' }],
  ])('messageNumber(%j)', (raw, expected) => expect(messageNumber(raw)).toEqual(expected));

  it('optionalMessageNumber', () => {
    expect(optionalMessageNumber('')).toEqual({ ok: true, value: undefined });
    expect(optionalMessageNumber('3')).toEqual({ ok: true, value: 3 });
    expect(optionalMessageNumber('x')).toEqual({ ok: false, error: 'Invalid message number.' });
  });

  it('messageAndLineCount', () => {
    expect(messageAndLineCount('2 0')).toEqual({ ok: true, value: { msg: 2, lines: 0 } });
    expect(messageAndLineCount('2')).toEqual({ ok: false, error: 'TOP requires a message number and a number of lines.' });
    expect(messageAndLineCount('2 -1')).toEqual({ ok: false, error: 'Invalid number of lines.' });
    expect(messageAndLineCount('x 1')).toEqual({ ok: false, error: 'Invalid message number.' });
  });

  it('requiredName trims; restOfLine keeps the password exactly, spaces included', () => {
    expect(requiredName('missing')(' bob@x.test ')).toEqual({ ok: true, value: 'bob@x.test' });
    expect(requiredName('missing')('  ')).toEqual({ ok: false, error: 'missing' });
    expect(restOfLine('missing')(' pass word ')).toEqual({ ok: true, value: ' pass word ' });
    expect(restOfLine('missing')('')).toEqual({ ok: false, error: 'missing' });
  });
});
