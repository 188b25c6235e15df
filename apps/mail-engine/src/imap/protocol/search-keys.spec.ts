import { describe, expect, it } from 'vitest';
import { tokenize } from '../parser/tokenizer.js';
import { MAX_KEY_DEPTH, parseSearch, parseSearchDate, SearchSyntaxError } from './search-keys.js';

const parse = (text: string) => parseSearch(tokenize({ lines: [Buffer.from(text)], literals: [] }));

describe('parseSearch', () => {
  it('reads RFC 3501 keys into a tree; a list is AND, OR and NOT nest', () => {
    expect(parse('UNSEEN FROM "jane doe" OR 1:3 NOT UID 5:*').key).toEqual({
      type: 'and',
      keys: [
        { type: 'flag', flag: '\\Seen', present: false },
        { type: 'header', field: 'from', value: 'jane doe' },
        {
          type: 'or',
          a: { type: 'set', set: [{ from: 1, to: 3 }], byUid: false },
          b: { type: 'not', key: { type: 'set', set: [{ from: 5, to: '*' }], byUid: true } },
        },
      ],
    });
    expect(parse('(SINCE 1-Feb-1994 LARGER 100) HEADER X-Spam yes').key).toEqual({
      type: 'and',
      keys: [
        {
          type: 'and',
          keys: [
            { type: 'date', field: 'internal', op: 'since', date: '1994-02-01' },
            { type: 'size', op: 'larger', bytes: 100 },
          ],
        },
        { type: 'header', field: 'x-spam', value: 'yes' },
      ],
    });
  });

  it('RETURN and CHARSET come first; MODSEQ is noted', () => {
    expect(parse('RETURN (MIN COUNT) CHARSET UTF-8 ALL')).toEqual({ key: { type: 'all' }, returns: ['MIN', 'COUNT'], usesModseq: false });
    expect(parse('RETURN () ALL').returns).toEqual(['ALL']);
    expect(parse('MODSEQ "/flags/\\\\draft" all 620162338')).toEqual({ key: { type: 'modseq', min: 620162338 }, usesModseq: true, returns: undefined });
  });

  it.each([
    ['', 'Missing search key'],
    ['FROM', 'Missing string'],
    ['BEFORE 30-Feb-2020', 'Invalid date 30-Feb-2020'],
    ['LARGER x', 'Expected size as a number'],
    ['OR ALL', 'Missing search key'],
    ['RETURN (SAVE) ALL', 'Unknown RETURN option SAVE'],
    ['WHATEVER', 'Unknown search key WHATEVER'],
    ['0:3', 'Invalid sequence set "0:3"'],
    // NOT and OR nest like lists, and count with them.
    [`${'NOT '.repeat(MAX_KEY_DEPTH + 1)}ALL`, 'Search keys are nested too deeply'],
    [`${'OR ALL '.repeat(MAX_KEY_DEPTH + 1)}ALL`, 'Search keys are nested too deeply'],
    [`((${'NOT '.repeat(MAX_KEY_DEPTH - 1)}ALL))`, 'Search keys are nested too deeply'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parse(text)).toThrow(new SearchSyntaxError(message));
  });

  it('allows nesting up to the limit', () => {
    expect(parse(`${'NOT '.repeat(MAX_KEY_DEPTH)}ALL`).key).toBeDefined();
    expect(parse(`(${'OR ALL '.repeat(MAX_KEY_DEPTH - 1)}ALL)`).key).toBeDefined();
  });

  it('refuses other charsets as BADCHARSET', () => {
    try {
      parse('CHARSET ISO-2022-JP ALL');
      expect.unreachable();
    } catch (err) {
      expect((err as SearchSyntaxError).badCharset).toBe(true);
    }
  });

  it('parses dates with one or two digit days, any month case', () => {
    expect(parseSearchDate('1-feb-1994')).toBe('1994-02-01');
    expect(parseSearchDate('29-Feb-2024')).toBe('2024-02-29');
    expect(parseSearchDate('29-Feb-2023')).toBeUndefined();
    expect(parseSearchDate('1994-02-01')).toBeUndefined();
  });
});
