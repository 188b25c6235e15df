/**
 * FETCH data items (RFC 3501 6.4.5, RFC 7162 MODSEQ) from argument tokens: macros, simple items,
 * and BODY[section]<partial> with part numbers, HEADER, HEADER.FIELDS (.NOT), MIME and TEXT.
 * Items of extensions this server does not offer (BINARY, EMAILID ...) are refused by name. Pure.
 */
import type { Token } from '../parser/tokenizer.js';

export type SectionText = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'MIME' | 'TEXT';

export interface Section {
  /** Part numbers, e.g. [1, 2] for BODY[1.2]; empty for the whole message. */
  readonly path: readonly number[];
  readonly text?: SectionText;
  /** Field names of HEADER.FIELDS (.NOT), as the client wrote them. */
  readonly fields?: readonly string[];
}

export interface Partial {
  readonly offset: number;
  readonly length?: number;
}

export type FetchItem =
  | { readonly kind: 'UID' }
  | { readonly kind: 'FLAGS' }
  | { readonly kind: 'RFC822.SIZE' }
  | { readonly kind: 'INTERNALDATE' }
  | { readonly kind: 'ENVELOPE' }
  | { readonly kind: 'BODYSTRUCTURE' }
  /** BODY without a section: the non-extensible BODYSTRUCTURE. */
  | { readonly kind: 'BODY.STRUCTURE' }
  | { readonly kind: 'MODSEQ' }
  /**
   * Message bytes: BODY[...], BODY.PEEK[...], RFC822, RFC822.HEADER, RFC822.TEXT. `label` is the
   * item name in the response (without the partial's `<offset>`, which is added when set).
   */
  | { readonly kind: 'BODY'; readonly peek: boolean; readonly label: string; readonly section: Section; readonly partial?: Partial };

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
  ENVELOPE: { kind: 'ENVELOPE' },
  BODYSTRUCTURE: { kind: 'BODYSTRUCTURE' },
  BODY: { kind: 'BODY.STRUCTURE' },
  MODSEQ: { kind: 'MODSEQ' },
  RFC822: { kind: 'BODY', peek: false, label: 'RFC822', section: { path: [] } },
  'RFC822.HEADER': { kind: 'BODY', peek: true, label: 'RFC822.HEADER', section: { path: [], text: 'HEADER' } },
  'RFC822.TEXT': { kind: 'BODY', peek: false, label: 'RFC822.TEXT', section: { path: [], text: 'TEXT' } },
};

const MACROS: Record<string, readonly string[]> = {
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

/** Valid in extensions this server does not announce. */
const NOT_OFFERED = new Set(['BINARY', 'BINARY.PEEK', 'BINARY.SIZE', 'EMAILID', 'THREADID', 'SAVEDATE', 'PREVIEW', 'X-GM-MSGID', 'X-GM-THRID', 'X-GM-LABELS']);

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function parseSection(tokens: readonly Token[], itemName: string): Section {
  if (tokens.length === 0) return { path: [] };
  const first = tokens[0]!;
  if (first.type !== 'atom' || first.section) throw new FetchItemError(`Invalid section in ${itemName}[...]`);
  const parts = first.value.toUpperCase().split('.');
  const path: number[] = [];
  while (parts.length > 0 && /^\d+$/.test(parts[0]!)) {
    const n = Number(parts.shift());
    if (n < 1 || n > 4294967295 || !/^[1-9]/.test(String(n))) throw new FetchItemError(`Invalid part number in ${itemName}[${first.value}]`);
    path.push(n);
  }
  const text = parts.join('.');
  if (text === '') {
    if (tokens.length > 1) throw new FetchItemError(`Unexpected data after ${itemName}[${first.value}`);
    if (path.length === 0) throw new FetchItemError(`Invalid section ${itemName}[${first.value}]`);
    return { path };
  }
  if (text === 'HEADER' || text === 'TEXT' || text === 'MIME') {
    if (tokens.length > 1) throw new FetchItemError(`Unexpected data after ${itemName}[${first.value}`);
    if (text === 'MIME' && path.length === 0) throw new FetchItemError('MIME needs a part number, e.g. BODY[1.MIME]');
    return { path, text };
  }
  if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
    const list = tokens[1];
    if (tokens.length !== 2 || list?.type !== 'list' || list.items.length === 0) throw new FetchItemError(`${text} needs a list of header field names`);
    const fields = list.items.map((t) => {
      const name = t.type === 'atom' && !t.section ? t.value : t.type === 'string' ? t.value : undefined;
      if (name === undefined || !FIELD_NAME.test(name)) throw new FetchItemError(`Invalid header field name in ${text}`);
      return name;
    });
    return { path, text, fields };
  }
  throw new FetchItemError(`Invalid section ${itemName}[${first.value}]`);
}

/** The section as it appears in the response label, e.g. `1.HEADER.FIELDS (From To)`. */
export function sectionLabel(s: Section): string {
  const parts = [...s.path.map(String)];
  if (s.text) parts.push(s.text);
  const head = parts.join('.');
  return s.fields ? `${head} (${s.fields.map((f) => f.toUpperCase()).join(' ')})` : head;
}

function item(t: Token): FetchItem {
  if (t.type !== 'atom') throw new FetchItemError('FETCH items must be atoms such as FLAGS or BODY.PEEK[]');
  const name = t.value.toUpperCase();
  if (t.section === undefined) {
    const simple = SIMPLE[name];
    if (simple) return simple;
    if (MACROS[name]) throw new FetchItemError(`${name} is a macro and cannot appear inside a list`);
    if (NOT_OFFERED.has(name)) throw new FetchItemError(`${name} is not supported by this server`, true);
    throw new FetchItemError(`Unknown FETCH item ${shorten(t.value)}`);
  }
  if (name !== 'BODY' && name !== 'BODY.PEEK') {
    if (NOT_OFFERED.has(name)) throw new FetchItemError(`${name}[...] is not supported by this server`, true);
    throw new FetchItemError(`Unknown FETCH item ${shorten(t.value)}[...]`);
  }
  const section = parseSection(t.section, name);
  const label = `BODY[${sectionLabel(section)}]`;
  return t.partial ? { kind: 'BODY', peek: name === 'BODY.PEEK', label, section, partial: t.partial } : { kind: 'BODY', peek: name === 'BODY.PEEK', label, section };
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function key(i: FetchItem): string {
  return i.kind === 'BODY' ? `${i.label}<${i.partial?.offset ?? ''}.${i.partial?.length ?? ''}>:${i.peek}` : i.kind;
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
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What fetching these items needs from the store besides the summary: ENVELOPE (wire form), and the MIME structure. */
export function storeNeeds(items: readonly FetchItem[]): { envelope: boolean; structure: boolean } {
  return {
    envelope: items.some((i) => i.kind === 'ENVELOPE'),
    structure: items.some((i) => i.kind === 'BODYSTRUCTURE' || i.kind === 'BODY.STRUCTURE' || (i.kind === 'BODY' && (i.section.path.length > 0 || i.section.text !== undefined))),
  };
}
