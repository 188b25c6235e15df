import { describe, expect, it } from 'vitest';
import { tokenize } from '../parser/tokenizer.js';
import { FetchItemError, parseFetchItems, type FetchItem } from './fetch-items.js';

const parse = (text: string) => parseFetchItems(tokenize({ lines: [Buffer.from(text)], literals: [] })[0]!);

describe('parseFetchItems', () => {
  it.each<[string, FetchItem[]]>([
    ['FLAGS', [{ kind: 'FLAGS' }]],
    ['uid', [{ kind: 'UID' }]],
    ['FAST', [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }]],
    ['(UID RFC822.SIZE FLAGS INTERNALDATE)', [{ kind: 'UID' }, { kind: 'RFC822.SIZE' }, { kind: 'FLAGS' }, { kind: 'INTERNALDATE' }]],
    ['BODY[]', [{ kind: 'BODY', peek: false, label: 'BODY[]' }]],
    ['(body.peek[] UID)', [{ kind: 'BODY', peek: true, label: 'BODY[]' }, { kind: 'UID' }]],
    ['RFC822', [{ kind: 'BODY', peek: false, label: 'RFC822' }]],
    ['(FLAGS FLAGS UID flags)', [{ kind: 'FLAGS' }, { kind: 'UID' }]],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['ENVELOPE', true],
    ['ALL', true],
    ['FULL', true],
    ['(UID BODYSTRUCTURE)', true],
    ['BODY[HEADER]', true],
    ['BODY.PEEK[HEADER.FIELDS (From)]', true],
    ['BODY[]<0.100>', true],
    ['BINARY[]', true],
    ['(FAST)', false],
    ['()', false],
    ['NOPE', false],
    ['"FLAGS"', false],
    ['(FLAGS (UID))', false],
  ])('refuses %s (unsupported: %s)', (text, unsupported) => {
    try {
      parse(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FetchItemError);
      expect((err as FetchItemError).unsupported).toBe(unsupported);
    }
  });
});
