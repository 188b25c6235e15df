/**
 * Argument schemas: each command lists its arguments as ArgSpecs; the dispatcher reads the tokens
 * through them before the handler runs, so handlers receive typed, validated values and a
 * malformed command is answered BAD in one place.
 */
import type { Token } from '../parser/tokenizer.js';
import { decodeMailboxName, MailboxNameError } from '../protocol/mailbox-name.js';
import { parseSequenceSet, SequenceSetError, type SequenceSet } from '../sequence-set.js';

export interface ArgSpec<T> {
  /** For error messages: "Expected <name>". */
  readonly name: string;
  /** Masked in logs (passwords). */
  readonly secret?: boolean;
  /** May be left out (only at the end of the argument list). */
  readonly optional?: boolean;
  /** Converts a token; throws ArgumentError when it does not fit. */
  read(token: Token): T;
}

export type ArgsOf<S extends readonly ArgSpec<unknown>[]> = { -readonly [K in keyof S]: S[K] extends ArgSpec<infer T> ? T : never };

export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** Reads all arguments; too few or too many is an ArgumentError too. */
export function readArgs<S extends readonly ArgSpec<unknown>[]>(specs: S, tokens: readonly Token[]): ArgsOf<S> {
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
    out.push(spec.read(token));
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

/** A mailbox name: an astring in modified UTF-7, decoded; INBOX in any case becomes INBOX. */
export function mailbox(name = 'mailbox'): ArgSpec<string> {
  const inner = astring(name);
  return {
    name,
    read(t) {
      try {
        return decodeMailboxName(inner.read(t));
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
