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
    ['BODY[]', [{ kind: 'BODY', peek: false, label: 'BODY[]', section: { path: [] } }]],
    ['(body.peek[] UID)', [{ kind: 'BODY', peek: true, label: 'BODY[]', section: { path: [] } }, { kind: 'UID' }]],
    ['RFC822', [{ kind: 'BODY', peek: false, label: 'RFC822', section: { path: [] } }]],
    ['RFC822.HEADER', [{ kind: 'BODY', peek: true, label: 'RFC822.HEADER', section: { path: [], text: 'HEADER' } }]],
    ['RFC822.TEXT', [{ kind: 'BODY', peek: false, label: 'RFC822.TEXT', section: { path: [], text: 'TEXT' } }]],
    ['(FLAGS FLAGS UID flags)', [{ kind: 'FLAGS' }, { kind: 'UID' }]],
    ['ALL', [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }, { kind: 'ENVELOPE' }]],
    ['FULL', [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }, { kind: 'ENVELOPE' }, { kind: 'BODY.STRUCTURE' }]],
    ['(UID BODYSTRUCTURE MODSEQ)', [{ kind: 'UID' }, { kind: 'BODYSTRUCTURE' }, { kind: 'MODSEQ' }]],
    ['BODY[HEADER]', [{ kind: 'BODY', peek: false, label: 'BODY[HEADER]', section: { path: [], text: 'HEADER' } }]],
    [
      'BODY.PEEK[1.2.HEADER.FIELDS.NOT (From "X-Y")]',
      [{ kind: 'BODY', peek: true, label: 'BODY[1.2.HEADER.FIELDS.NOT (FROM X-Y)]', section: { path: [1, 2], text: 'HEADER.FIELDS.NOT', fields: ['From', 'X-Y'] } }],
    ],
    ['BODY[2.MIME]<5.10>', [{ kind: 'BODY', peek: false, label: 'BODY[2.MIME]', section: { path: [2], text: 'MIME' }, partial: { offset: 5, length: 10 } }]],
    ['BODY[3]', [{ kind: 'BODY', peek: false, label: 'BODY[3]', section: { path: [3] } }]],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['BINARY[]', true],
    ['EMAILID', true],
    ['BODY[MIME]', false],
    ['BODY[0]', false],
    ['BODY[1.FOO]', false],
    ['BODY[HEADER.FIELDS]', false],
    ['BODY[HEADER.FIELDS ()]', false],
    ['BODY[TEXT (x)]', false],
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
