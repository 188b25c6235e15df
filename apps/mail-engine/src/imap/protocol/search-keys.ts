/**
 * SEARCH criteria (RFC 3501 6.4.4, RFC 7162 MODSEQ, RFC 4731 RETURN) from argument tokens. The
 * result still holds sequence sets as written: they are resolved against the selected mailbox
 * (to UID ranges) by the command, so nothing here depends on a session. Pure.
 */
import type { SearchKey } from '@darwin/mail-store';
import type { Token } from '../parser/tokenizer.js';
import { parseSequenceSet, SequenceSetError, type SequenceSet } from '../sequence-set.js';

export type ParsedKey =
  | Exclude<SearchKey, { type: 'not' } | { type: 'or' } | { type: 'and' }>
  | { readonly type: 'set'; readonly set: SequenceSet; readonly byUid: boolean }
  /** \Recent depends on the session: the command turns it into UID ranges. */
  | { readonly type: 'recent' }
  | { readonly type: 'not'; readonly key: ParsedKey }
  | { readonly type: 'or'; readonly a: ParsedKey; readonly b: ParsedKey }
  | { readonly type: 'and'; readonly keys: readonly ParsedKey[] };

export type ReturnOption = 'MIN' | 'MAX' | 'COUNT' | 'ALL';

export interface SearchProgram {
  readonly key: ParsedKey;
  /** RFC 4731: set when RETURN was given (ESEARCH response); empty RETURN () means ALL. */
  readonly returns?: readonly ReturnOption[];
  /** The key uses MODSEQ (the result then carries the highest modseq, RFC 7162 3.1.5). */
  readonly usesModseq: boolean;
}

export class SearchSyntaxError extends Error {
  constructor(
    message: string,
    /** `NO [BADCHARSET]` rather than BAD. */
    readonly badCharset = false,
  ) {
    super(message);
    this.name = 'SearchSyntaxError';
  }
}

/**
 * How deeply keys may nest. Parenthesised lists, NOT and OR all count: each is one level of
 * recursion here, in the SEARCH command's resolveKey and in the store's SQL compiler, and a chain
 * like `NOT NOT ... ALL` fits 16,000 levels into a 64 KiB line, enough to overflow the stack.
 * 100 leaves room for a client that chains one OR per term (`OR a OR b OR c ...`).
 */
export const MAX_KEY_DEPTH = 100;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CHARSETS = new Set(['UTF-8', 'US-ASCII']);

/** RFC 3501 date: `1-Feb-1994` (quoted or not) -> `1994-02-01`. */
export function parseSearchDate(text: string): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (month < 0 || day < 1) return undefined;
  const d = new Date(Date.UTC(year, month, day));
  if (d.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

class Reader {
  i = 0;
  usesModseq = false;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly depth: number,
  ) {}

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new SearchSyntaxError(`Missing ${what}`);
    return t;
  }

  private string(what: string): string {
    const t = this.next(what);
    if (t.type === 'string') return t.value;
    if (t.type === 'atom' && !t.section) return t.value;
    if (t.type === 'nil') return 'NIL';
    throw new SearchSyntaxError(`Expected ${what} as a string`);
  }

  private number(what: string): number {
    const t = this.next(what);
    if (t.type !== 'atom' || !/^\d{1,16}$/.test(t.value)) throw new SearchSyntaxError(`Expected ${what} as a number`);
    return Number(t.value);
  }

  private date(): string {
    const s = this.string('date');
    const d = parseSearchDate(s);
    if (!d) throw new SearchSyntaxError(`Invalid date ${s.slice(0, 20)}`);
    return d;
  }

  private flag(what: string): string {
    const t = this.next(what);
    if (t.type !== 'atom' || t.section) throw new SearchSyntaxError(`Expected ${what}`);
    return t.value;
  }

  /** `depth`: how many lists, NOTs and ORs enclose this key. */
  key(depth = this.depth): ParsedKey {
    const t = this.next('search key');
    const nested = () => {
      if (depth >= MAX_KEY_DEPTH) throw new SearchSyntaxError('Search keys are nested too deeply');
      return depth + 1;
    };
    if (t.type === 'list') {
      const inner = nested();
      if (t.items.length === 0) throw new SearchSyntaxError('Empty search key list');
      const r = new Reader(t.items, inner);
      const keys: ParsedKey[] = [];
      while (!r.done) keys.push(r.key());
      if (r.usesModseq) this.usesModseq = true;
      return keys.length === 1 ? keys[0]! : { type: 'and', keys };
    }
    if (t.type !== 'atom' || t.section) throw new SearchSyntaxError('Expected a search key');
    const name = t.value.toUpperCase();
    const flag = (f: string, present: boolean): ParsedKey => ({ type: 'flag', flag: f, present });
    switch (name) {
      case 'ALL':
        return { type: 'all' };
      case 'RECENT':
        return { type: 'recent' };
      case 'OLD':
        return { type: 'not', key: { type: 'recent' } };
      case 'NEW':
        return { type: 'and', keys: [{ type: 'recent' }, flag('\\Seen', false)] };
      case 'ANSWERED':
        return flag('\\Answered', true);
      case 'DELETED':
        return flag('\\Deleted', true);
      case 'DRAFT':
        return flag('\\Draft', true);
      case 'FLAGGED':
        return flag('\\Flagged', true);
      case 'SEEN':
        return flag('\\Seen', true);
      case 'UNANSWERED':
        return flag('\\Answered', false);
      case 'UNDELETED':
        return flag('\\Deleted', false);
      case 'UNDRAFT':
        return flag('\\Draft', false);
      case 'UNFLAGGED':
        return flag('\\Flagged', false);
      case 'UNSEEN':
        return flag('\\Seen', false);
      case 'KEYWORD':
        return flag(this.flag('keyword'), true);
      case 'UNKEYWORD':
        return flag(this.flag('keyword'), false);
      case 'BCC':
      case 'CC':
      case 'FROM':
      case 'SUBJECT':
      case 'TO':
        return { type: 'header', field: name.toLowerCase(), value: this.string('string') };
      case 'HEADER': {
        const field = this.string('header field name');
        if (!/^[\x21-\x39\x3b-\x7e]+$/.test(field)) throw new SearchSyntaxError('Invalid header field name');
        return { type: 'header', field: field.toLowerCase(), value: this.string('string') };
      }
      case 'BODY':
        return { type: 'body', value: this.string('string') };
      case 'TEXT':
        return { type: 'text', value: this.string('string') };
      case 'BEFORE':
        return { type: 'date', field: 'internal', op: 'before', date: this.date() };
      case 'ON':
        return { type: 'date', field: 'internal', op: 'on', date: this.date() };
      case 'SINCE':
        return { type: 'date', field: 'internal', op: 'since', date: this.date() };
      case 'SENTBEFORE':
        return { type: 'date', field: 'sent', op: 'before', date: this.date() };
      case 'SENTON':
        return { type: 'date', field: 'sent', op: 'on', date: this.date() };
      case 'SENTSINCE':
        return { type: 'date', field: 'sent', op: 'since', date: this.date() };
      case 'LARGER':
        return { type: 'size', op: 'larger', bytes: this.number('size') };
      case 'SMALLER':
        return { type: 'size', op: 'smaller', bytes: this.number('size') };
      case 'UID':
        return { type: 'set', set: this.sequence(this.flag('UID set')), byUid: true };
      case 'NOT':
        return { type: 'not', key: this.key(nested()) };
      case 'OR': {
        const inner = nested();
        const a = this.key(inner);
        return { type: 'or', a, b: this.key(inner) };
      }
      case 'MODSEQ': {
        // MODSEQ [entry-name entry-type] mod-sequence-value (RFC 7162 3.1.5): entry metadata ignored.
        const peek = this.tokens[this.i];
        if (peek?.type === 'string') {
          this.i++;
          this.flag('entry type');
        }
        this.usesModseq = true;
        return { type: 'modseq', min: this.number('mod-sequence value') };
      }
      default:
        if (/^[\d*:,]+$/.test(name)) return { type: 'set', set: this.sequence(name), byUid: false };
        throw new SearchSyntaxError(`Unknown search key ${name.slice(0, 30)}`);
    }
  }

  private sequence(text: string): SequenceSet {
    try {
      return parseSequenceSet(text);
    } catch (err) {
      if (err instanceof SequenceSetError) throw new SearchSyntaxError(err.message);
      throw err;
    }
  }
}

/** `[RETURN (...)] [CHARSET x] key...` */
export function parseSearch(tokens: readonly Token[]): SearchProgram {
  let i = 0;
  let returns: ReturnOption[] | undefined;
  const atomAt = (k: number) => {
    const t = tokens[k];
    return t?.type === 'atom' && !t.section ? t.value.toUpperCase() : '';
  };
  if (atomAt(0) === 'RETURN') {
    const list = tokens[1];
    if (list?.type !== 'list') throw new SearchSyntaxError('RETURN needs a list of options');
    returns = list.items.map((o) => {
      const name = o.type === 'atom' ? o.value.toUpperCase() : '';
      if (name !== 'MIN' && name !== 'MAX' && name !== 'COUNT' && name !== 'ALL') throw new SearchSyntaxError(`Unknown RETURN option ${name || '?'}`);
      return name;
    });
    if (returns.length === 0) returns = ['ALL'];
    i = 2;
  }
  if (atomAt(i) === 'CHARSET') {
    const cs = tokens[i + 1];
    const name = cs?.type === 'atom' || cs?.type === 'string' ? cs.value.toUpperCase() : '';
    if (!CHARSETS.has(name)) throw new SearchSyntaxError(`Unsupported charset ${name.slice(0, 30)}`, true);
    i += 2;
  }
  const r = new Reader(tokens.slice(i), 0);
  const keys: ParsedKey[] = [];
  while (!r.done) keys.push(r.key());
  if (keys.length === 0) throw new SearchSyntaxError('Missing search key');
  return { key: keys.length === 1 ? keys[0]! : { type: 'and', keys }, returns, usesModseq: r.usesModseq };
}
