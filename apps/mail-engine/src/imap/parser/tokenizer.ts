/**
 * Turns the arguments of a framed command into a token tree: atoms (with the `[section]<partial>`
 * of FETCH's BODY[...]), quoted strings, literals, parenthesised lists and NIL. What a token means
 * (a mailbox, a sequence set, a fetch item) is decided later by each command's argument schema.
 * Pure: bytes in, tokens out, ParseError on malformed input.
 */
import type { Frame } from './framer.js';

export interface AtomToken {
  readonly type: 'atom';
  readonly value: string;
  /** BODY[...] and friends: the tokens between the brackets ([] gives an empty array). */
  readonly section?: readonly Token[];
  /** `<offset.length>` after a section. */
  readonly partial?: { readonly offset: number; readonly length?: number };
}

export interface StringToken {
  readonly type: 'string';
  readonly value: string;
  readonly literal: boolean;
  /** A literal streamed out of the command (APPEND's message): its index; `value` is empty. */
  readonly streamed?: number;
  /** Sent as `~{n}` (RFC 3516 literal8; only APPEND's UTF8 data item accepts one). */
  readonly binary?: boolean;
}

export interface ListToken {
  readonly type: 'list';
  readonly items: readonly Token[];
}

export interface NilToken {
  readonly type: 'nil';
}

export type Token = AtomToken | StringToken | ListToken | NilToken;

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}

export interface TokenizeOptions {
  /** Deepest nesting of lists and sections. */
  readonly maxDepth?: number;
}

const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const LT = 0x3c;
const TILDE = 0x7e;

/** Atoms that take a `[section]`; elsewhere `[` is an ordinary atom character (RFC 3501 ATOM-CHAR). */
const SECTION_ATOMS = new Set(['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.PEEK', 'BINARY.SIZE']);

function isAtomChar(b: number, inSection: boolean): boolean {
  if (b <= 0x20 || b >= 0x7f) return false; // SP, CTL, 8-bit
  if (b === LPAREN || b === RPAREN || b === LBRACE || b === DQUOTE) return false;
  if (b === RBRACKET) return !inSection;
  return true;
}

class Cursor {
  li: number;
  pos: number;
  constructor(
    readonly frame: Frame,
    li: number,
    pos: number,
  ) {
    this.li = li;
    this.pos = pos;
  }
  get line(): Buffer {
    return this.frame.lines[this.li]!;
  }
  /** The byte under the cursor, or -1 at the end of the current line. */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos]! : -1;
  }
  atEnd(): boolean {
    return this.pos >= this.line.length && this.li === this.frame.lines.length - 1;
  }
  describe(): string {
    const b = this.peek();
    if (b < 0) return 'end of line';
    if (b < 0x20 || b >= 0x7f) return `byte 0x${b.toString(16).padStart(2, '0')}`;
    return `"${String.fromCharCode(b)}"`;
  }
}

/** Tokens of the command from line `li`, byte `pos` (after the tag and command name) to the end. */
export function tokenize(frame: Frame, li = 0, pos = 0, opts: TokenizeOptions = {}): Token[] {
  const c = new Cursor(frame, li, pos);
  const maxDepth = opts.maxDepth ?? 16;
  const tokens = readSequence(c, undefined, 0, maxDepth);
  if (!c.atEnd()) throw new ParseError(`Unexpected ${c.describe()}`);
  return tokens;
}

function readSequence(c: Cursor, close: number | undefined, depth: number, maxDepth: number): Token[] {
  const items: Token[] = [];
  if (c.peek() === (close ?? -1)) return items;
  for (;;) {
    if (close === undefined && c.peek() === -1) {
      if (!c.atEnd()) throw new ParseError('Unexpected end of line');
      return items;
    }
    items.push(readToken(c, depth, maxDepth, close === RBRACKET));
    const b = c.peek();
    if (b === -1 && close !== undefined) throw new ParseError(`Missing "${String.fromCharCode(close)}"`);
    if (b === (close ?? -1)) {
      if (close === undefined && !c.atEnd()) throw new ParseError('Unexpected end of line');
      return items;
    }
    if (b !== SP) throw new ParseError(`Expected a space, got ${c.describe()}`);
    c.pos++;
    // One trailing space before the end of the command is tolerated (some clients send it).
    if (close === undefined && c.atEnd()) return items;
    if (c.peek() === SP) throw new ParseError('Unexpected second space');
  }
}

function readToken(c: Cursor, depth: number, maxDepth: number, inSection: boolean): Token {
  const b = c.peek();
  switch (b) {
    case LPAREN: {
      if (depth + 1 > maxDepth) throw new ParseError('Lists are nested too deeply');
      c.pos++;
      const items = readSequence(c, RPAREN, depth + 1, maxDepth);
      if (c.peek() !== RPAREN) throw new ParseError(`Missing ")", got ${c.describe()}`);
      c.pos++;
      return { type: 'list', items };
    }
    case DQUOTE:
      return readQuoted(c);
    case LBRACE:
      return readLiteral(c);
    case TILDE:
      if (c.line[c.pos + 1] !== LBRACE) return readAtom(c, depth, maxDepth, inSection);
      // The dispatcher lets only the commands that take literal8 receive one (RFC 6855 APPEND UTF8).
      c.pos++;
      return { ...readLiteral(c), binary: true };
    case -1:
      throw new ParseError('Unexpected end of line');
    default:
      return readAtom(c, depth, maxDepth, inSection);
  }
}

function readQuoted(c: Cursor): StringToken {
  const line = c.line;
  const parts: Buffer[] = [];
  let i = c.pos + 1;
  let start = i;
  for (;;) {
    if (i >= line.length) throw new ParseError('Unterminated quoted string');
    const b = line[i]!;
    if (b === DQUOTE) break;
    if (b === 0 || b === 0x0d || b === 0x0a) throw new ParseError('Invalid character in quoted string');
    if (b === BACKSLASH) {
      const e = line[i + 1];
      if (e !== DQUOTE && e !== BACKSLASH) throw new ParseError('Invalid escape in quoted string (only \\" and \\\\ are allowed)');
      parts.push(line.subarray(start, i), Buffer.of(e));
      i += 2;
      start = i;
      continue;
    }
    i++;
  }
  parts.push(line.subarray(start, i));
  c.pos = i + 1;
  return { type: 'string', value: Buffer.concat(parts).toString('utf8'), literal: false };
}

function readLiteral(c: Cursor): StringToken {
  const rest = c.line.subarray(c.pos).toString('latin1');
  if (!/^\{\d+\+?\}$/.test(rest)) throw new ParseError('Malformed literal: "{n}" must end the line');
  const literal = c.frame.literals[c.li];
  if (!literal || c.li + 1 >= c.frame.lines.length) throw new ParseError('Missing literal data');
  const index = c.li;
  c.li++;
  c.pos = 0;
  if (c.frame.streamed?.has(index)) return { type: 'string', value: '', literal: true, streamed: index };
  const declared = Number(rest.slice(1, rest.indexOf(rest.includes('+') ? '+' : '}')));
  if (declared !== literal.length) throw new ParseError('Literal size mismatch');
  return { type: 'string', value: literal.toString('utf8'), literal: true };
}

function readAtom(c: Cursor, depth: number, maxDepth: number, inSection: boolean): Token {
  const line = c.line;
  const start = c.pos;
  let i = start;
  while (i < line.length) {
    const b = line[i]!;
    if (b === LBRACKET && SECTION_ATOMS.has(line.subarray(start, i).toString('latin1').toUpperCase())) break;
    if (!isAtomChar(b, inSection)) break;
    i++;
  }
  if (i === start) throw new ParseError(`Unexpected ${c.describe()}`);
  const value = line.subarray(start, i).toString('latin1');
  c.pos = i;
  if (c.peek() !== LBRACKET) {
    const b = c.peek();
    if (b >= 0x80) throw new ParseError('8-bit characters are only allowed in quoted strings and literals');
    if (value.toUpperCase() === 'NIL') return { type: 'nil' };
    return { type: 'atom', value };
  }
  if (depth + 1 > maxDepth) throw new ParseError('Sections are nested too deeply');
  c.pos++;
  const section = readSequence(c, RBRACKET, depth + 1, maxDepth);
  if (c.peek() !== RBRACKET) throw new ParseError(`Missing "]", got ${c.describe()}`);
  c.pos++;
  if (c.peek() !== LT) return { type: 'atom', value, section };
  const rest = c.line.subarray(c.pos).toString('latin1');
  const m = /^<(\d{1,10})(?:\.(\d{1,10}))?>/.exec(rest);
  if (!m) throw new ParseError('Malformed partial range: expected <offset.length>');
  c.pos += m[0].length;
  const offset = Number(m[1]);
  const length = m[2] === undefined ? undefined : Number(m[2]);
  if (offset > 4294967295 || (length !== undefined && (length === 0 || length > 4294967295))) throw new ParseError('Partial range out of bounds');
  return { type: 'atom', value, section, partial: length === undefined ? { offset } : { offset, length } };
}
