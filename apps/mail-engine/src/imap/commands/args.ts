/**
 * Argument schemas: each command lists its arguments as ArgSpecs; the dispatcher reads the tokens
 * through them before the handler runs, so handlers receive typed, validated values and a
 * malformed command is answered BAD in one place.
 */
import type { Token } from '../parser/tokenizer.js';
import { isValidFlag } from '../protocol/compiler.js';
import { decodeMailboxName, MailboxNameError } from '../protocol/mailbox-name.js';
import { parseSequenceSet, SequenceSetError, type SequenceSet } from '../sequence-set.js';

export interface ArgSpec<T> {
  /** For error messages: "Expected <name>". */
  readonly name: string;
  /** Masked in logs (passwords). */
  readonly secret?: boolean;
  /** May be left out (only at the end of the argument list). */
  readonly optional?: boolean;
  /** Takes every remaining token (last in the list): read() gets them as a list token. */
  readonly rest?: boolean;
  /** Converts a token; throws ArgumentError when it does not fit. */
  read(token: Token, ctx: ArgContext): T;
}

/** Session facts that change how arguments read (RFC 6855: UTF-8 mailbox names once enabled). */
export interface ArgContext {
  readonly utf8: boolean;
}

const NO_CONTEXT: ArgContext = { utf8: false };

export type ArgsOf<S extends readonly ArgSpec<unknown>[]> = { -readonly [K in keyof S]: S[K] extends ArgSpec<infer T> ? T : never };

export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** Reads all arguments; too few or too many is an ArgumentError too. */
export function readArgs<S extends readonly ArgSpec<unknown>[]>(specs: S, tokens: readonly Token[], ctx: ArgContext = NO_CONTEXT): ArgsOf<S> {
  const restAt = specs.findIndex((s) => s.rest);
  if (restAt >= 0) {
    const head = readArgs(specs.slice(0, restAt), tokens.slice(0, restAt), ctx) as unknown[];
    if (tokens.length < restAt) throw new ArgumentError(`Missing argument: expected ${describe(specs)}`);
    head.push(specs[restAt]!.read({ type: 'list', items: tokens.slice(restAt) }, ctx));
    return head as ArgsOf<S>;
  }
  if (tokens.length > specs.length) throw new ArgumentError(specs.length === 0 ? 'This command takes no arguments' : `Too many arguments: expected ${describe(specs)}`);
  const out: unknown[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const token = tokens[i];
    if (token === undefined) {
      if (spec.optional) {
        out.push(undefined);
        continue;
      }
      throw new ArgumentError(`Missing argument: expected ${describe(specs)}`);
    }
    out.push(spec.read(token, ctx));
  }
  return out as ArgsOf<S>;
}

/** Positions of secret arguments, for masking in logs. */
export function secretPositions(specs: readonly ArgSpec<unknown>[]): Set<number> {
  const out = new Set<number>();
  specs.forEach((s, i) => s.secret && out.add(i));
  return out;
}

function describe(specs: readonly ArgSpec<unknown>[]): string {
  return specs.map((s) => (s.optional ? `[${s.name}]` : s.name)).join(' ');
}

/** astring (RFC 3501): an atom, quoted string or literal; NIL as an atom is the text "NIL". */
export function astring(name: string, opts: { secret?: boolean; maxBytes?: number } = {}): ArgSpec<string> {
  const maxBytes = opts.maxBytes ?? 1024;
  return {
    name,
    secret: opts.secret,
    read(t) {
      let value: string;
      if (t.type === 'string') value = t.value;
      else if (t.type === 'nil') value = 'NIL';
      else if (t.type === 'atom' && !t.section) value = t.value;
      else throw new ArgumentError(`Expected ${name} as an atom, quoted string or literal`);
      if (Buffer.byteLength(value) > maxBytes) throw new ArgumentError(`${name} is too long`);
      return value;
    },
  };
}

/**
 * A mailbox name: an astring in modified UTF-7, decoded; INBOX in any case becomes INBOX. With
 * UTF8=ACCEPT enabled, names are UTF-8 as they are (RFC 6855 3: "&" is then just a character).
 */
export function mailbox(name = 'mailbox'): ArgSpec<string> {
  const inner = astring(name);
  return {
    name,
    read(t, ctx) {
      try {
        const wire = inner.read(t, ctx);
        if (ctx?.utf8) return wire.toUpperCase() === 'INBOX' ? 'INBOX' : wire;
        return decodeMailboxName(wire);
      } catch (err) {
        if (err instanceof MailboxNameError) throw new ArgumentError(err.message);
        throw err;
      }
    },
  };
}

/** sequence-set as an atom, parsed (not resolved: that needs the selected mailbox). */
export function sequenceSet(name = 'sequence set'): ArgSpec<SequenceSet> {
  return {
    name,
    read(t) {
      if (t.type !== 'atom' || t.section) throw new ArgumentError(`Expected ${name} such as 1:* or 2,4:7`);
      try {
        return parseSequenceSet(t.value);
      } catch (err) {
        if (err instanceof SequenceSetError) throw new ArgumentError(err.message);
        throw err;
      }
    },
  };
}

/** Any token, taken as it is (commands whose grammar has optional parts read them themselves). */
export function token(name: string, opts: { optional?: boolean; secret?: boolean } = {}): ArgSpec<Token> {
  return { name, optional: opts.optional, secret: opts.secret, read: (t) => t };
}

/** An atom, upper-cased. */
export function atom(name: string, opts: { optional?: boolean; secret?: boolean } = {}): ArgSpec<string> {
  return {
    name,
    optional: opts.optional,
    secret: opts.secret,
    read(t) {
      if (t.type !== 'atom' || t.section) throw new ArgumentError(`Expected ${name}`);
      return t.value.toUpperCase();
    },
  };
}

/** number (RFC 3501) or mod-sequence-value (RFC 7162: up to 2^63-1, kept within 2^53 here). */
export function parseNumber(t: Token | undefined, name: string): number {
  if (!t || t.type !== 'atom' || t.section || !/^\d{1,16}$/.test(t.value)) throw new ArgumentError(`Expected ${name} as a number`);
  const n = Number(t.value);
  if (!Number.isSafeInteger(n)) throw new ArgumentError(`${name} is too large`);
  return n;
}

const SYSTEM = new Map(['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((f) => [f.toLowerCase(), f]));

/** A flag in its canonical spelling (system flags are case-insensitive: \seen is \Seen). */
export function canonicalFlag(raw: string): string {
  return SYSTEM.get(raw.toLowerCase()) ?? raw;
}

/** A flag list `(\Seen $Work)` or, where the grammar allows, flags as bare atoms. */
export function readFlags(t: Token, opts: { allowRecent?: boolean } = {}): string[] {
  const items = t.type === 'list' ? t.items : [t];
  return items.map((i) => {
    if (i.type !== 'atom' || i.section || !isValidFlag(i.value) || i.value === '\\*') throw new ArgumentError(`Invalid flag ${i.type === 'atom' ? i.value : ''}`.trim());
    const f = canonicalFlag(i.value);
    if (f.startsWith('\\') && !SYSTEM.has(f.toLowerCase())) throw new ArgumentError(`Unknown system flag ${f}`);
    if (f === '\\Recent' && !opts.allowRecent) throw new ArgumentError('\\Recent cannot be set by clients');
    return f;
  });
}

/** The remaining tokens, for commands with optional parts in the middle (STORE, LIST, APPEND, SEARCH). */
export function rest(name: string): ArgSpec<Token[]> {
  return {
    name,
    rest: true,
    read(t) {
      return t.type === 'list' ? [...t.items] : [t];
    },
  };
}
