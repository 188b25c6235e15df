import { describe, expect, it } from 'vitest';
import { CommandSyntaxError, formatForLog, isValidTag, parseCommand, readHead, type ParsedCommand } from './command-parser.js';
import type { Frame } from './framer.js';
import { tokenize, ParseError, type Token } from './tokenizer.js';

/** Builds a frame from text where each literal is written as {n}\r\n<bytes> (as on the wire). */
function frame(wire: string): Frame {
  const lines: Buffer[] = [];
  const literals: Buffer[] = [];
  let rest = Buffer.from(wire);
  for (;;) {
    const lf = rest.indexOf('\r\n');
    const line = lf < 0 ? rest : rest.subarray(0, lf);
    lines.push(line);
    const m = /\{(\d+)\+?\}$/.exec(line.toString('latin1'));
    if (!m || lf < 0) break;
    const n = Number(m[1]);
    literals.push(rest.subarray(lf + 2, lf + 2 + n));
    rest = rest.subarray(lf + 2 + n);
  }
  return { lines, literals };
}

const atom = (value: string): Token => ({ type: 'atom', value });
const str = (value: string, literal = false): Token => ({ type: 'string', value, literal });
const list = (...items: Token[]): Token => ({ type: 'list', items });

describe('tokenize', () => {
  it.each<[string, Token[]]>([
    ['', []],
    ['INBOX', [atom('INBOX')]],
    ['user pass', [atom('user'), atom('pass')]],
    ['"a b" "c\\"d" "e\\\\f" ""', [str('a b'), str('c"d'), str('e\\f'), str('')]],
    ['"gr\u00fc\u00dfe"', [str('gr\u00fc\u00dfe')]],
    ['NIL nil "NIL"', [{ type: 'nil' }, { type: 'nil' }, str('NIL')]],
    ['1:* (FLAGS UID)', [atom('1:*'), list(atom('FLAGS'), atom('UID'))]],
    ['() (())', [list(), list(list())]],
    ['(\\Seen $Label1 \\*)', [list(atom('\\Seen'), atom('$Label1'), atom('\\*'))]],
    ['foo]bar foo[bar]', [atom('foo]bar'), atom('foo[bar]')]],
    ['"" %/*', [str(''), atom('%/*')]],
    ['trailing ', [atom('trailing')]],
  ])('%j', (input, expected) => {
    expect(tokenize(frame(input))).toEqual(expected);
  });

  it('BODY sections and partials', () => {
    expect(tokenize(frame('1 (BODY[] BODY.PEEK[HEADER.FIELDS (From "To")]<0.2048> body[1.2.MIME] BODY[]<5>)'))).toEqual([
      atom('1'),
      list(
        { type: 'atom', value: 'BODY', section: [] },
        { type: 'atom', value: 'BODY.PEEK', section: [atom('HEADER.FIELDS'), list(atom('From'), str('To'))], partial: { offset: 0, length: 2048 } },
        { type: 'atom', value: 'body', section: [atom('1.2.MIME')] },
        { type: 'atom', value: 'BODY', section: [], partial: { offset: 5 } },
      ),
    ]);
  });

  it('literals, including CRLF and 8-bit bytes, and the text after them', () => {
    expect(tokenize(frame('{6}\r\na\r\nb\u00e9 {0}\r\n (x)'))).toEqual([str('a\r\nb\u00e9', true), str('', true), list(atom('x'))]);
    expect(tokenize(frame('({3+}\r\nabc y)'))).toEqual([list(str('abc', true), atom('y'))]);
  });

  it.each([
    ['"unterminated', /Unterminated/],
    ['"bad \\n escape"', /escape/],
    ['(a b', /Missing "\)"/],
    ['a)', /Expected a space/],
    [')', /Unexpected/],
    ['a  b', /second space/],
    ['(a  b)', /second space/],
    ['( a)', /Unexpected/],
    ['"a"b', /Expected a space/],
    ['{3} x', /Malformed literal/],
    ['x {3}', /Missing literal data/],
    ['BODY[HEADER', /Missing "\]"/],
    ['BODY[]<1.x>', /partial/],
    ['BODY[]<1.0>', /out of bounds/],
    ['caf\u00e9', /8-bit|Unexpected/],
    ['a\tb', /Expected a space/],
  ])('rejects %j', (input, message) => {
    expect(() => tokenize(frame(input))).toThrow(message);
  });

  it('limits nesting depth', () => {
    expect(() => tokenize(frame('((((x))))'), 0, 0, { maxDepth: 3 })).toThrow(/nested too deeply/);
    expect(tokenize(frame('(((x)))'), 0, 0, { maxDepth: 3 })).toHaveLength(1);
    expect(() => tokenize(frame('('.repeat(10_000)))).toThrow(ParseError);
  });
});

describe('readHead and parseCommand', () => {
  it.each([
    ['a1 NOOP', { tag: 'a1', name: 'NOOP', noArgs: true }],
    ['A001 login x y', { tag: 'A001', name: 'LOGIN', noArgs: false }],
    ['7 uid fetch 1:* FLAGS', { tag: '7', name: 'UID FETCH', noArgs: false }],
    ['a] NOOP', { tag: 'a]', name: 'NOOP', noArgs: true }],
  ])('%j', (line, expected) => {
    expect(readHead(Buffer.from(line))).toMatchObject(expected);
  });

  it.each([
    ['', 'Missing tag', undefined],
    ['+a NOOP', 'Invalid tag', undefined],
    ['a*b NOOP', 'Invalid tag', undefined],
    ['a(b NOOP', 'Invalid tag', undefined],
    ['a', 'Missing command', 'a'],
    ['a ', 'Missing command', 'a'],
    ['a 1FOO', 'Invalid command name', 'a'],
    ['a UID', 'UID needs a command', 'a'],
  ])('head error in %j', (line, error, tag) => {
    const head = readHead(Buffer.from(line));
    expect(head.error).toContain(error);
    expect(head.tag).toBe(tag);
  });

  it('validates tags per RFC 3501 (no "+", no atom-specials but "]")', () => {
    expect(isValidTag('A.1-x]')).toBe(true);
    for (const bad of ['', 'a+', 'a b', 'a"', 'a\\', 'a%', 'a{', 'x'.repeat(257), 'caf\u00e9']) expect(isValidTag(bad)).toBe(false);
  });

  it('parses a command with literal arguments', () => {
    const cmd = parseCommand(frame('a LOGIN {4}\r\nuser {6}\r\np "ss!'));
    expect(cmd).toEqual<ParsedCommand>({ tag: 'a', name: 'LOGIN', args: [str('user', true), str('p "ss!', true)] });
  });

  it('keeps the tag in syntax errors so the reply can be tagged', () => {
    try {
      parseCommand(frame('t9 SELECT "INBOX'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CommandSyntaxError);
      expect((err as CommandSyntaxError).tag).toBe('t9');
      expect((err as CommandSyntaxError).message).toMatch(/Unterminated/);
    }
  });

  it('masks secret arguments in the log form', () => {
    const cmd = parseCommand(frame('a LOGIN "me@example.com" {11}\r\nhunter2 xyz'));
    const line = formatForLog(cmd, new Set([1]));
    expect(line).toBe('a LOGIN "me@example.com" ***');
    expect(line).not.toContain('hunter2');
  });
});
