/**
 * Test helper: seeded random IMAP command lines, each with the tokens the parser must read back
 * from it, and random byte soup for the parser to refuse. Seeded, so a failing case can be
 * replayed from its seed; no dependency beyond Node.
 */
import type { SeqRange } from '../sequence-set.js';
import type { Token } from '../parser/tokenizer.js';

/** mulberry32: small, fast, good enough to spread test cases; not for anything secret. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** ATOM-CHARs (RFC 3501) without "[" (it would start a section after BODY) and, in sections, "]". */
const ATOM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&'+,-./:;<=>?@^_`|~\\*%]";
/** Tag chars: ASTRING-CHAR except "+" (isValidTag). */
const TAG_CHARS = ATOM_CHARS.replace(/[+*%\\]/g, '');
/** For quoted strings: any TEXT-CHAR (quotes and backslashes get escaped) and some UTF-8. */
const QUOTED_CHARS = [...' !"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\t', 'é', 'ß', '日本', '😀'];
/** Literals carry anything, CR, LF and NUL included. */
const LITERAL_CHARS = [...QUOTED_CHARS, '\r\n', '\r', '\n', '\0', '{5}', '\x7f'];
const NAMES = ['FETCH', 'UID FETCH', 'STORE', 'SEARCH', 'UID SEARCH', 'APPEND', 'LOGIN', 'X-TEST', 'ID'];

export interface GeneratedCommand {
  /** The command as sent, CRLF included. */
  readonly wire: Buffer;
  readonly tag: string;
  /** Upper case, as the parser reports it. */
  readonly name: string;
  readonly args: Token[];
  /** Every sequence set written as an atom, with the ranges it stands for. */
  readonly sequenceSets: { text: string; ranges: SeqRange[] }[];
  /** The literal markers in order: declared size and whether it was `{n+}`. */
  readonly literals: { size: number; nonSync: boolean }[];
}

function chars(rng: Rng, alphabet: readonly string[] | string, min: number, max: number): string {
  let s = '';
  for (let n = rng.int(min, max); n > 0; n--) s += rng.pick(alphabet as readonly string[]);
  return s;
}

/** Builds one command; the wire form and the expected tokens are written side by side. */
export function randomCommand(rng: Rng): GeneratedCommand {
  const sequenceSets: GeneratedCommand['sequenceSets'] = [];
  const literals: GeneratedCommand['literals'] = [];
  const parts: string[] = [];

  const atomText = (inSection: boolean): string => {
    const alphabet = inSection ? ATOM_CHARS.replace(']', '') : ATOM_CHARS;
    for (;;) {
      const s = chars(rng, alphabet, 1, 12);
      if (!/^nil$/i.test(s)) return s;
    }
  };
  const bound = (): number | '*' => (rng.chance(0.2) ? '*' : rng.chance(0.2) ? 4294967295 : rng.int(1, 500));
  const seqSet = (): string => {
    const ranges: SeqRange[] = [];
    for (let n = rng.int(1, 4); n > 0; n--) {
      const from = bound();
      ranges.push(rng.chance(0.5) ? { from, to: from } : { from, to: bound() });
    }
    const text = ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`)).join(',');
    sequenceSets.push({ text, ranges });
    return text;
  };

  const write = (s: string): void => void parts.push(s);

  /** Writes one token and returns what the tokenizer must make of it. */
  const token = (depth: number, inSection: boolean): Token => {
    const kinds = depth < 5 ? ['atom', 'seq', 'quoted', 'literal', 'nil', 'list', 'list', 'section'] : ['atom', 'seq', 'quoted', 'literal', 'nil'];
    switch (rng.pick(kinds)) {
      case 'atom': {
        const value = atomText(inSection);
        write(value);
        return { type: 'atom', value };
      }
      case 'seq': {
        const value = seqSet();
        write(value);
        return { type: 'atom', value };
      }
      case 'quoted': {
        const value = chars(rng, QUOTED_CHARS, 0, 10);
        write(`"${value.replace(/[\\"]/g, '\\$&')}"`);
        return { type: 'string', value, literal: false };
      }
      case 'literal': {
        const value = chars(rng, LITERAL_CHARS, 0, 12);
        const size = Buffer.byteLength(value);
        const nonSync = rng.chance(0.5);
        literals.push({ size, nonSync });
        write(`{${size}${nonSync ? '+' : ''}}\r\n${value}`);
        return { type: 'string', value, literal: true };
      }
      case 'nil':
        write(rng.pick(['NIL', 'nil', 'Nil']));
        return { type: 'nil' };
      case 'list': {
        write('(');
        const items = sequence(depth + 1, false);
        write(')');
        return { type: 'list', items };
      }
      default: {
        const value = rng.pick(['BODY', 'BODY.PEEK', 'body.peek', 'BINARY']);
        write(`${value}[`);
        const section = sequence(depth + 1, true);
        write(']');
        if (rng.chance(0.5)) return { type: 'atom', value, section };
        const offset = rng.int(0, 4294967295);
        const length = rng.chance(0.5) ? undefined : rng.int(1, 4294967295);
        write(length === undefined ? `<${offset}>` : `<${offset}.${length}>`);
        return { type: 'atom', value, section, partial: length === undefined ? { offset } : { offset, length } };
      }
    }
  };

  function sequence(depth: number, inSection: boolean): Token[] {
    const items: Token[] = [];
    for (let n = rng.int(0, 4); n > 0; n--) {
      if (items.length > 0) write(' ');
      items.push(token(depth, inSection));
    }
    return items;
  }

  const tag = chars(rng, TAG_CHARS, 1, 6);
  const name = rng.pick(NAMES);
  write(`${tag} ${rng.chance(0.5) ? name : name.toLowerCase()}`);
  const args: Token[] = [];
  for (let n = rng.int(0, 6); n > 0; n--) {
    write(' ');
    args.push(token(0, false));
  }
  write('\r\n');
  return { wire: Buffer.from(parts.join('')), tag, name, args, sequenceSets, literals };
}

/** Bytes that look a little like IMAP: syntax characters, literal markers and deep nesting, mixed with noise. */
const SOUP = ['a', 'A1', ' ', ' ', '(', ')', '[', ']', '<', '>', '{', '}', '"', '\\', '~', '+', '*', ':', ',', '.', '0', '7', '\r\n', '\n', '\r', '\0', 'NIL', 'BODY[', 'BODY.PEEK[', 'UID ', 'FETCH ', 'APPEND ', '{3}\r\n', '{4+}\r\n', '~{2}\r\n', '{99999999999999999999}\r\n', '<1.2>', '<0.0>', 'BODY[]<', '<9.', ']<x', '(((((((((((((((((((('];

/** Case `i` of seed `seed`: its own generator, so any case can be replayed alone. */
export function garbageCase(seed: number, i: number): { rng: Rng; bytes: Buffer } {
  const rng = new Rng(Math.imul(seed, 1000003) + i);
  return { rng, bytes: randomGarbage(rng) };
}

function randomGarbage(rng: Rng): Buffer {
  const out: Buffer[] = [];
  for (let n = rng.int(0, 60); n > 0; n--) {
    if (rng.chance(0.15)) out.push(Buffer.from([rng.int(0, 255), rng.int(0, 255)]));
    else out.push(Buffer.from(rng.pick(SOUP), 'latin1'));
  }
  if (rng.chance(0.7)) out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}
