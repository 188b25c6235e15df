/**
 * FETCH data items (RFC 3501 6.4.5) from argument tokens. Items this server cannot produce yet are
 * recognised and refused by name (so the client gets "not supported" rather than "unknown").
 * Pure.
 */
import type { Token } from '../parser/tokenizer.js';

export type FetchItem =
  | { readonly kind: 'UID' }
  | { readonly kind: 'FLAGS' }
  | { readonly kind: 'RFC822.SIZE' }
  | { readonly kind: 'INTERNALDATE' }
  /** The whole message: BODY[], BODY.PEEK[] or RFC822; `label` is the item name in the response. */
  | { readonly kind: 'BODY'; readonly peek: boolean; readonly label: 'BODY[]' | 'RFC822' };

export class FetchItemError extends Error {
  constructor(
    message: string,
    readonly unsupported = false,
  ) {
    super(message);
    this.name = 'FetchItemError';
  }
}

const SIMPLE: Record<string, FetchItem> = {
  UID: { kind: 'UID' },
  FLAGS: { kind: 'FLAGS' },
  'RFC822.SIZE': { kind: 'RFC822.SIZE' },
  INTERNALDATE: { kind: 'INTERNALDATE' },
  RFC822: { kind: 'BODY', peek: false, label: 'RFC822' },
};

const MACROS: Record<string, readonly string[]> = {
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/** Valid in RFC 3501 or common extensions, not produced by this server yet. */
const NOT_YET = new Set(['ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'RFC822.HEADER', 'RFC822.TEXT', 'BINARY', 'BINARY.PEEK', 'BINARY.SIZE', 'MODSEQ', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW']);

function item(t: Token): FetchItem {
  if (t.type !== 'atom') throw new FetchItemError('FETCH items must be atoms such as FLAGS or BODY.PEEK[]');
  const name = t.value.toUpperCase();
  if (t.section === undefined) {
    const simple = SIMPLE[name];
    if (simple) return simple;
    if (MACROS[name]) throw new FetchItemError(`${name} is a macro and cannot appear inside a list`);
    if (NOT_YET.has(name)) throw new FetchItemError(`${name} is not supported by this server yet`, true);
    throw new FetchItemError(`Unknown FETCH item ${shorten(t.value)}`);
  }
  if (name !== 'BODY' && name !== 'BODY.PEEK') {
    if (NOT_YET.has(name)) throw new FetchItemError(`${name}[...] is not supported by this server yet`, true);
    throw new FetchItemError(`Unknown FETCH item ${shorten(t.value)}[...]`);
  }
  if (t.section.length > 0) throw new FetchItemError(`${name}[section] is not supported by this server yet; only ${name}[] is`, true);
  if (t.partial) throw new FetchItemError(`Partial FETCH (${name}[]<...>) is not supported by this server yet`, true);
  return { kind: 'BODY', peek: name === 'BODY.PEEK', label: 'BODY[]' };
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** The `fetch-att` argument: a macro, one item, or a parenthesised list of items. Duplicates collapse. */
export function parseFetchItems(t: Token): FetchItem[] {
  let items: FetchItem[];
  if (t.type === 'atom' && t.section === undefined && MACROS[t.value.toUpperCase()]) {
    items = MACROS[t.value.toUpperCase()]!.map((name) => item({ type: 'atom', value: name }));
  } else if (t.type === 'list') {
    if (t.items.length === 0) throw new FetchItemError('Empty FETCH item list');
    items = t.items.map(item);
  } else {
    items = [item(t)];
  }
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = i.kind === 'BODY' ? `${i.kind}:${i.label}:${i.peek}` : i.kind;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
