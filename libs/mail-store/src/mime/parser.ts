/**
 * A streaming MIME structure parser: bytes go in as they arrive (the spool feeds it), and at the
 * end it yields the ENVELOPE, the part tree with byte offsets (BODYSTRUCTURE, BODY[section]), the
 * decoded header for SEARCH HEADER and the decoded text of the text parts for SEARCH BODY.
 *
 * Memory is bounded whatever the message: only the first bytes of each line are looked at (enough
 * to recognise a boundary), headers are kept up to a cap per part, body text up to a cap per
 * message, and the part tree is capped in depth and count (beyond that, parts are opaque).
 *
 * Boundaries follow RFC 2046 5.1.1: the CRLF before a delimiter line belongs to the delimiter, so
 * a part's body ends before it. A delimiter of an outer multipart also ends the inner ones.
 */
import { decodeWords, envelopeOf, firstField, headerFields, parseContentType, parseParameterized, type HeaderField } from './header-fields.js';
import type { Envelope, MimePart, ParsedMessage, Params } from './structure.js';
import { decodeBodyText } from './text.js';

export interface MimeParserOptions {
  /** Header bytes kept per part for parsing (the rest of a huge header is ignored). */
  readonly maxHeaderBytes?: number;
  /** Parts in the tree; past it, further parts stay inside their parent's body. */
  readonly maxParts?: number;
  /** Nesting of multiparts and message/rfc822. */
  readonly maxDepth?: number;
  /** Decoded body text kept for SEARCH. */
  readonly maxBodyText?: number;
}

/** Bytes of every line looked at for a boundary (RFC 2046: boundaries are at most 70 characters). */
const LINE_HEAD = 256;

type State = 'header' | 'body' | 'preamble' | 'epilogue';

interface TextCollector {
  readonly encoding: string;
  readonly charset: string;
  readonly html: boolean;
  readonly chunks: Buffer[];
  bytes: number;
}

class Node {
  bs = -1;
  be = -1;
  /** Line feeds inside the body so far. */
  lf = 0;
  lines = 0;
  state: State = 'header';
  header: Buffer[] = [];
  headerBytes = 0;
  fields: HeaderField[] = [];
  type = 'text';
  subtype = 'plain';
  params: Params = [['charset', 'us-ascii']];
  encoding = '7bit';
  boundary?: Buffer;
  parts: Node[] | undefined;
  message: Node | undefined;
  envelope: Envelope | undefined;
  text: TextCollector | undefined;
  ended = false;

  constructor(
    readonly hs: number,
    readonly parent: Node | undefined,
    readonly depth: number,
    /** message/rfc822 inside multipart/digest, else text/plain. */
    readonly digestChild: boolean,
    /** The top of a message (the root, or the body of a message/rfc822 part). */
    readonly isMessage: boolean,
  ) {}
}

export class MimeStructureParser {
  private readonly maxHeaderBytes: number;
  private readonly maxParts: number;
  private readonly maxDepth: number;
  private readonly maxBodyText: number;
  private readonly root: Node;
  private current: Node;
  private partCount = 1;
  private offset = 0;
  // The line being read.
  private lineStart = 0;
  private lineLen = 0;
  private lineKeep = LINE_HEAD;
  private lineHead: Buffer[] = [];
  private lineHeadLen = 0;
  private lastByte = -1;
  // The previous complete line, for the CRLF that belongs to a boundary.
  private prevStart = 0;
  private prevEol = 0;
  private bodyText: string[] = [];
  private bodyTextLen = 0;
  private result?: ParsedMessage;

  constructor(opts: MimeParserOptions = {}) {
    this.maxHeaderBytes = opts.maxHeaderBytes ?? 64 * 1024;
    this.maxParts = opts.maxParts ?? 500;
    this.maxDepth = opts.maxDepth ?? 20;
    this.maxBodyText = opts.maxBodyText ?? 256 * 1024;
    this.root = new Node(0, undefined, 0, false, true);
    this.current = this.root;
  }

  push(chunk: Buffer): void {
    if (this.result) throw new Error('MimeStructureParser: push after end');
    let pos = 0;
    while (pos < chunk.length) {
      const lf = chunk.indexOf(0x0a, pos);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.take(chunk, pos, end);
      if (lf >= 0) this.lineDone(true);
      pos = end;
    }
    this.offset += chunk.length;
  }

  end(): ParsedMessage {
    if (this.result) return this.result;
    if (this.lineLen > 0) this.lineDone(false);
    const size = this.offset;
    // Whatever is still open ends with the message.
    for (let n: Node | undefined = this.current; n; n = n.parent) this.close(n, size, true);
    const headerText = this.root.fields
      .map((f) => `${f.name}: ${decodeWords(f.value)}`)
      .join('\n')
      .slice(0, this.maxHeaderBytes);
    this.result = {
      envelope: this.root.envelope ?? envelopeOf([]),
      structure: { v: 1, root: this.toPart(this.root) },
      headerText,
      bodyText: this.bodyText.join('\n').slice(0, this.maxBodyText),
    };
    return this.result;
  }

  // ---- lines ------------------------------------------------------------------------------------

  private take(chunk: Buffer, from: number, to: number): void {
    if (this.lineLen === 0) {
      this.lineStart = this.offset + from;
      this.lineKeep = this.keepFor(this.current);
    }
    const n = to - from;
    if (this.lineHeadLen < this.lineKeep) {
      const take = Math.min(n, this.lineKeep - this.lineHeadLen);
      this.lineHead.push(chunk.subarray(from, from + take));
      this.lineHeadLen += take;
    }
    if (chunk[to - 1] === 0x0a) {
      // The byte before the LF; when the LF starts this piece, it was the last byte of the previous one.
      if (to - 2 >= from) this.lastByte = chunk[to - 2]!;
    } else {
      this.lastByte = chunk[to - 1]!;
    }
    this.lineLen += n;
  }

  private keepFor(n: Node): number {
    if (n.state === 'header') return Math.max(LINE_HEAD, this.maxHeaderBytes - n.headerBytes + 2);
    if (n.text) return Math.max(LINE_HEAD, this.maxBodyText - this.bodyTextLen - n.text.bytes + 2);
    return LINE_HEAD;
  }

  private lineDone(complete: boolean): void {
    const start = this.lineStart;
    const len = this.lineLen;
    const eol = complete ? (this.lastByte === 0x0d && len >= 2 ? 2 : 1) : 0;
    const contentLen = len - eol;
    let head = this.lineHead.length === 1 ? this.lineHead[0]! : Buffer.concat(this.lineHead, this.lineHeadLen);
    if (head.length > contentLen) head = head.subarray(0, contentLen);
    this.lineHead = [];
    this.lineHeadLen = 0;
    this.lineLen = 0;
    this.lastByte = -1;

    if (head.length >= 2 && head[0] === 0x2d && head[1] === 0x2d) {
      const hit = this.matchBoundary(head, contentLen);
      if (hit) {
        this.onBoundary(hit.node, hit.close, start, len);
        this.countLine(start, complete);
        this.remember(start, eol);
        return;
      }
    }
    this.countLine(start, complete);
    const cur = this.current;
    if (cur.state === 'header') {
      if (contentLen === 0) this.endHeader(cur, start + len);
      else if (cur.headerBytes < this.maxHeaderBytes) {
        cur.header.push(head, Buffer.from('\n'));
        cur.headerBytes += head.length + 1;
      }
    } else if (cur.text && cur.state === 'body') {
      const room = this.maxBodyText - this.bodyTextLen - cur.text.bytes;
      if (room > 0) {
        const piece = head.subarray(0, room);
        cur.text.chunks.push(piece, Buffer.from('\n'));
        cur.text.bytes += piece.length + 1;
      }
    }
    this.remember(start, eol);
  }

  private remember(start: number, eol: number): void {
    this.prevStart = start;
    this.prevEol = eol;
  }

  /** A complete line counts for every open part whose body it is in. */
  private countLine(start: number, complete: boolean): void {
    if (!complete) return;
    for (let n: Node | undefined = this.current; n; n = n.parent) if (n.bs >= 0 && n.bs <= start) n.lf++;
  }

  private matchBoundary(head: Buffer, contentLen: number): { node: Node; close: boolean } | undefined {
    for (let n: Node | undefined = this.current; n; n = n.parent) {
      const b = n.boundary;
      if (!b || n.state === 'epilogue' || n.state === 'header') continue;
      if (head.length < b.length + 2 || head.compare(b, 0, b.length, 2, 2 + b.length) !== 0) continue;
      const rest = head.subarray(2 + b.length);
      if (rest.length >= 2 && rest[0] === 0x2d && rest[1] === 0x2d) return { node: n, close: true };
      if (contentLen === head.length && /^[ \t]*$/.test(rest.toString('latin1'))) return { node: n, close: false };
    }
    return undefined;
  }

  // ---- structure --------------------------------------------------------------------------------

  private onBoundary(m: Node, close: boolean, start: number, len: number): void {
    // The CRLF before the delimiter line is part of the delimiter.
    const end = start - this.prevEol;
    for (let n: Node | undefined = this.current; n && n !== m; n = n.parent) this.close(n, end, false);
    this.current = m;
    if (close) {
      m.state = 'epilogue';
      return;
    }
    m.state = 'body';
    if (this.partCount >= this.maxParts) return; // further parts stay opaque inside m
    const child = new Node(start + len, m, m.depth + 1, m.subtype.toLowerCase() === 'digest', false);
    if (child.digestChild) {
      child.type = 'message';
      child.subtype = 'rfc822';
      child.params = [];
    }
    this.partCount++;
    m.parts!.push(child);
    this.current = child;
  }

  private endHeader(n: Node, bodyStart: number): void {
    n.bs = bodyStart;
    n.fields = headerFields(Buffer.concat(n.header).toString('utf8'));
    n.header = [];
    const f = (name: string) => firstField(n.fields, name);
    if (n.isMessage) n.envelope = envelopeOf(n.fields);
    const ct = parseContentType(f('content-type'));
    if (ct) {
      n.type = ct.type;
      n.subtype = ct.subtype;
      n.params = ct.params;
      // As Dovecot reports it: a text part without a charset is us-ascii (RFC 2045 5.2).
      if (ct.type.toLowerCase() === 'text' && !ct.params.some(([k]) => k.toLowerCase() === 'charset')) n.params = [...ct.params, ['charset', 'us-ascii']];
    }
    const cte = f('content-transfer-encoding');
    if (cte !== undefined && cte.trim() !== '') n.encoding = cte.trim();
    const type = n.type.toLowerCase();
    const subtype = n.subtype.toLowerCase();
    n.state = 'body';
    if (type === 'multipart') {
      const boundary = n.params.find(([k]) => k.toLowerCase() === 'boundary')?.[1];
      if (boundary && boundary.length <= 200 && n.depth < this.maxDepth) {
        n.boundary = Buffer.from(boundary, 'utf8');
        n.parts = [];
        n.state = 'preamble';
      }
      return;
    }
    if (type === 'message' && (subtype === 'rfc822' || subtype === 'global') && n.depth < this.maxDepth && this.partCount < this.maxParts) {
      const child = new Node(bodyStart, n, n.depth + 1, false, true);
      this.partCount++;
      n.message = child;
      this.current = child;
      return;
    }
    if (type === 'text' && (subtype === 'plain' || subtype === 'html') && this.bodyTextLen < this.maxBodyText) {
      const charset = n.params.find(([k]) => k.toLowerCase() === 'charset')?.[1] ?? 'us-ascii';
      n.text = { encoding: n.encoding.toLowerCase(), charset, html: subtype === 'html', chunks: [], bytes: 0 };
    }
  }

  /** Ends a part at `end` (the message end, or where a delimiter's CRLF starts). */
  private close(n: Node, end: number, atEof: boolean): void {
    if (n.ended) return;
    n.ended = true;
    if (n.bs < 0) {
      // The header never ended: all of it is header, the body is empty.
      n.bs = Math.max(n.hs, end);
      n.fields = headerFields(Buffer.concat(n.header).toString('utf8'));
      n.header = [];
      if (n.isMessage) n.envelope = envelopeOf(n.fields);
      const ct = parseContentType(firstField(n.fields, 'content-type'));
      if (ct && ct.type.toLowerCase() !== 'multipart') {
        n.type = ct.type;
        n.subtype = ct.subtype;
        n.params = ct.params;
      }
      n.be = n.bs;
      n.lines = 0;
      return;
    }
    n.be = Math.max(n.bs, end);
    // Lines are the line feeds in the body, as Dovecot counts them ("<b>x</b>" before a delimiter is 0).
    if (atEof) {
      n.lines = n.lf;
    } else {
      // The line feed before the delimiter was counted but is not in the body.
      let lf = n.lf;
      if (this.prevEol > 0 && this.prevStart >= n.bs) lf--;
      n.lines = Math.max(0, lf);
    }
    if (n.message && !n.message.ended) this.close(n.message, end, atEof);
    if (n.text) {
      const decoded = decodeBodyText(Buffer.concat(n.text.chunks), n.text.encoding, n.text.charset, n.text.html);
      n.text = undefined;
      const room = this.maxBodyText - this.bodyTextLen;
      if (decoded.length > 0 && room > 0) {
        const piece = decoded.slice(0, room);
        this.bodyText.push(piece);
        this.bodyTextLen += piece.length + 1;
      }
    }
  }

  private toPart(n: Node): MimePart {
    const f = (name: string) => firstField(n.fields, name);
    const disp = f('content-disposition');
    const parsedDisp = disp !== undefined ? parseParameterized(disp) : undefined;
    const lang = f('content-language');
    const base = {
      hs: n.hs,
      bs: n.bs,
      be: n.be,
      lines: n.lines,
      type: n.type,
      subtype: n.subtype,
      params: n.params,
      id: f('content-id') ?? null,
      description: f('content-description') ?? null,
      encoding: n.encoding,
      md5: f('content-md5') ?? null,
      disposition: parsedDisp && parsedDisp.value !== '' ? { type: parsedDisp.value, params: parsedDisp.params } : null,
      language: lang !== undefined ? lang.split(/[\s,]+/).filter((s) => s.length > 0) : null,
      location: f('content-location') ?? null,
    };
    if (n.parts) {
      const parts = n.parts.map((p) => this.toPart(p));
      if (parts.length === 0) {
        // RFC 3501 body-type-mpart needs at least one part: an empty text part at the body's start.
        parts.push({ ...emptyPart(n.bs) });
      }
      return { ...base, parts };
    }
    if (n.message) return { ...base, message: { envelope: n.message.envelope ?? envelopeOf([]), body: this.toPart(n.message) } };
    return base;
  }
}

function emptyPart(at: number): MimePart {
  return {
    hs: at,
    bs: at,
    be: at,
    lines: 0,
    type: 'text',
    subtype: 'plain',
    params: [['charset', 'us-ascii']],
    id: null,
    description: null,
    encoding: '7bit',
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
}

/** Parses a whole message held in memory (tests, small APPENDs, backfilling old rows). */
export function parseMessage(raw: Buffer, opts?: MimeParserOptions): ParsedMessage {
  const p = new MimeStructureParser(opts);
  p.push(raw);
  return p.end();
}
