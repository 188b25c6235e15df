/**
 * Response compiler: builds server responses as byte chunks. Strings are written as atoms, quoted
 * strings or literals as the grammar and their content require; a message body is a stream chunk
 * of known size that the session pipes to the socket with backpressure. Every response can also be
 * rendered for logs, with literal contents left out and secrets masked. Pure: nothing here writes.
 */
import type { Readable } from 'node:stream';
import { formatDateTime } from './imap-date.js';

/** Bytes produced by a stream opened when it is its turn to be written. */
export interface StreamChunk {
  readonly type: 'stream';
  readonly size: number;
  open(): Readable;
}

export type Chunk = Buffer | StreamChunk;

export interface CompiledResponse {
  readonly chunks: readonly Chunk[];
  /** Log form; built only when asked for. */
  readonly log?: string;
}

export type Status = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

/** A response code: `[NAME]` or `[NAME args]`, args already in wire form (see ResponseBuilder). */
export interface ResponseCode {
  readonly name: string;
  readonly args?: string;
}

const CRLF = '\r\n';
const MAX_QUOTED = 1024;

/** ATOM-CHAR as RFC 3501 defines it (no atom-specials). */
const ATOM = /^[\x21\x23\x24\x26\x27\x2b-\x5b\x5e-\x7a\x7c\x7e]+$/;
/** ASTRING-CHAR: ATOM-CHAR or "]". */
const ASTRING = /^[\x21\x23\x24\x26\x27\x2b-\x5b\x5d\x5e-\x7a\x7c\x7e]+$/;
/** Quotable: 7-bit TEXT-CHAR (no NUL, CR, LF). */
const QUOTABLE = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;
/** flag = "\" atom (system flags and \*) / keyword (an atom). */
const FLAG = /^\\?[\x21\x23\x24\x26\x27\x2b-\x5b\x5e-\x7a\x7c\x7e]+$|^\\\*$/;

const SYSTEM_ORDER = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'];

/** \Answered \Flagged \Deleted \Seen \Draft, then keywords in the order given. */
export function orderFlags(flags: readonly string[]): string[] {
  const system = SYSTEM_ORDER.filter((f) => flags.includes(f));
  return [...system, ...flags.filter((f) => !SYSTEM_ORDER.includes(f))];
}

export function isValidFlag(flag: string): boolean {
  return FLAG.test(flag);
}

/** Human text after a status or code: one line, printable, and never starting with "[". */
export function sanitizeText(text: string): string {
  const clean = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  if (clean.length === 0) return 'Done.';
  return clean.startsWith('[') ? `- ${clean}` : clean;
}

/**
 * Appends response items left to right; `build()` returns the chunks. Strings choose their form:
 * `quoted()` or `literal()` are never needed by callers, who say what the value is (`string`,
 * `astring`, `nstring`) and the builder picks what the grammar allows for its content.
 */
export class ResponseBuilder {
  private readonly chunks: Chunk[] = [];
  private text = '';
  private readonly logParts: string[] | undefined;
  private needsSpace = false;

  constructor(withLog = false) {
    this.logParts = withLog ? [] : undefined;
  }

  /** Verbatim protocol text (the caller guarantees it is valid), e.g. `* 3 FETCH (`. */
  raw(s: string, logAs?: string): this {
    this.text += s;
    this.logParts?.push(logAs ?? s);
    this.needsSpace = false;
    return this;
  }

  /** A space before the next item unless it opens the response or follows "(". */
  private sep(): void {
    if (this.needsSpace) this.raw(' ');
    this.needsSpace = true;
  }

  atom(s: string): this {
    if (!ATOM.test(s)) throw new Error(`Not an atom: ${JSON.stringify(s)}`);
    this.sep();
    this.text += s;
    this.logParts?.push(s);
    return this;
  }

  number(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Not a number: ${n}`);
    this.sep();
    this.text += String(n);
    this.logParts?.push(String(n));
    return this;
  }

  /** string = quoted / literal. */
  string(s: string): this {
    return this.writeString(s, false);
  }

  /** A secret value (never in this server's responses so far; for completeness of the log mode). */
  secretString(s: string): this {
    return this.writeString(s, true);
  }

  private writeString(s: string, secret: boolean): this {
    this.sep();
    const bytes = Buffer.byteLength(s);
    if (bytes <= MAX_QUOTED && QUOTABLE.test(s)) {
      const q = s.includes('\\') || s.includes('"') ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"` : `"${s}"`;
      this.text += q;
      this.logParts?.push(secret ? '***' : q);
    } else {
      this.text += `{${bytes}}${CRLF}${s}`;
      this.logParts?.push(secret ? '***' : `{${bytes}}<${bytes} bytes>`);
    }
    return this;
  }

  /** Protocol text as one item (separated like an atom), e.g. the fetch item name `BODY[]`. */
  token(s: string): this {
    this.sep();
    this.text += s;
    this.logParts?.push(s);
    return this;
  }

  /** astring = 1*ASTRING-CHAR / string (an atom that is not NIL when possible). */
  astring(s: string): this {
    if (ASTRING.test(s) && s.toUpperCase() !== 'NIL') {
      this.sep();
      this.text += s;
      this.logParts?.push(s);
      return this;
    }
    return this.string(s);
  }

  /**
   * A mailbox name already in wire form. With UTF8=ACCEPT (RFC 6855) a quoted string may carry
   * UTF-8, so non-ASCII names stay quoted instead of becoming literals.
   */
  mailboxName(wire: string, utf8: boolean): this {
    if (utf8 && !/^[\x00-\x7f]*$/.test(wire) && !/[\x00\r\n]/.test(wire) && Buffer.byteLength(wire) <= MAX_QUOTED) {
      this.sep();
      const q = `"${wire.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
      this.text += q;
      this.logParts?.push(q);
      return this;
    }
    return this.astring(wire);
  }

  nstring(s: string | null | undefined): this {
    if (s === null || s === undefined) {
      this.sep();
      this.text += 'NIL';
      this.logParts?.push('NIL');
      return this;
    }
    return this.string(s);
  }

  /** A date-time in quotes, e.g. INTERNALDATE. */
  dateTime(d: Date): this {
    this.sep();
    const s = `"${formatDateTime(d)}"`;
    this.text += s;
    this.logParts?.push(s);
    return this;
  }

  /** `(` items `)`. */
  list(fill: (b: this) => void): this {
    this.sep();
    this.raw('(');
    fill(this);
    this.raw(')');
    this.needsSpace = true;
    return this;
  }

  /**
   * A list directly after the previous one, without a space: the grammar of body-type-mpart
   * (`(part)(part) "mixed"`) and of envelope address lists (`((...)(...))`).
   */
  adjacentList(fill: (b: this) => void): this {
    this.needsSpace = false;
    return this.list(fill);
  }

  /**
   * A flag list; values that are not valid flags are left out rather than corrupt the response.
   * System flags come first in their canonical order, then keywords (as Dovecot writes them).
   */
  flags(flags: readonly string[]): this {
    return this.list((b) => {
      for (const f of orderFlags(flags)) if (FLAG.test(f)) b.flag(f);
    });
  }

  /** A flag or a `\`-prefixed attribute such as \Noselect (validated). */
  flag(f: string): this {
    if (!FLAG.test(f)) throw new Error(`Not a flag: ${JSON.stringify(f)}`);
    this.sep();
    this.text += f;
    this.logParts?.push(f);
    return this;
  }

  /** `{size}CRLF` then the bytes of a stream (a message body), written with backpressure. */
  literalStream(size: number, open: () => Readable): this {
    this.sep();
    this.text += `{${size}}${CRLF}`;
    this.flushText();
    this.chunks.push({ type: 'stream', size, open });
    this.logParts?.push(`{${size}}<${size} bytes>`);
    return this;
  }

  /** `{size}CRLF` then bytes already in memory (a filtered header), written as they are. */
  literalBytes(bytes: Buffer): this {
    this.sep();
    this.text += `{${bytes.length}}${CRLF}`;
    this.flushText();
    this.chunks.push(bytes);
    this.logParts?.push(`{${bytes.length}}<${bytes.length} bytes>`);
    return this;
  }

  /** Ends the response line. */
  end(): CompiledResponse {
    this.text += CRLF;
    this.flushText();
    return this.logParts ? { chunks: this.chunks, log: this.logParts.join('') } : { chunks: this.chunks };
  }

  private flushText(): void {
    if (this.text.length > 0) this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}

function codeText(code: ResponseCode | undefined): string {
  return code ? `[${code.name}${code.args ? ` ${code.args}` : ''}] ` : '';
}

/** `tag STATUS [CODE] text` or `* STATUS [CODE] text`. */
export function statusResponse(tag: string, status: Status, text: string, code?: ResponseCode, withLog = false): CompiledResponse {
  const line = `${tag} ${status} ${codeText(code)}${sanitizeText(text)}`;
  return new ResponseBuilder(withLog).raw(line).end();
}

/** `+ text` continuation request. */
export function continuation(text: string, withLog = false): CompiledResponse {
  return new ResponseBuilder(withLog).raw(`+ ${sanitizeText(text)}`).end();
}

/** `* ` followed by what `fill` appends (e.g. `3 EXISTS`, `FLAGS (...)`). */
export function untagged(fill: (b: ResponseBuilder) => void, withLog = false): CompiledResponse {
  const b = new ResponseBuilder(withLog).raw('* ');
  fill(b);
  return b.end();
}

/** Wire form of a flag list for response codes such as PERMANENTFLAGS. */
export function flagListText(flags: readonly string[]): string {
  return `(${orderFlags(flags).filter((f) => FLAG.test(f)).join(' ')})`;
}
