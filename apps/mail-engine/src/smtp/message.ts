import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { inMemory, parseHeaderBlock, parseMessage, Spool, type MimePart, type ParsedMessage, type SpooledMessage } from '@darwin/mail-store';

export type BareLfMode = 'normalize' | 'reject';

/** Header blocks up to this size are rewritten (ours are far smaller); larger ones are left alone. */
const MAX_HEADER_BYTES = 256 * 1024;
const READ_CHUNK = 64 * 1024;

/**
 * Finds bare LFs (a line feed not preceded by a carriage return) across chunk boundaries and,
 * in normalize mode, turns each into CRLF, as Postfix does with `smtpd_forbid_bare_newline =
 * normalize`. The end of DATA is found by smtp-server before this runs, on CRLF.CRLF only, so
 * LF.LF, LF.CRLF and CRLF.LF never end a message (SMTP smuggling): after normalisation they are
 * ordinary lines of the stored message.
 */
export class BareLfFilter {
  private lastWasCr = false;
  count = 0;

  constructor(private readonly mode: BareLfMode) {}

  push(chunk: Buffer): Buffer {
    let out: Buffer[] | undefined;
    let from = 0;
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
      const prevCr = i > 0 ? chunk[i - 1] === 0x0d : this.lastWasCr;
      if (prevCr) continue;
      this.count++;
      if (this.mode === 'normalize') {
        out ??= [];
        out.push(chunk.subarray(from, i), CRLF);
        from = i + 1;
      }
    }
    if (chunk.length > 0) this.lastWasCr = chunk[chunk.length - 1] === 0x0d;
    if (!out) return chunk;
    out.push(chunk.subarray(from));
    return Buffer.concat(out);
  }
}

const CRLF = Buffer.from('\r\n');

export interface ReceivedData {
  /** The message as the client sent it (bare LFs normalised in normalize mode). */
  readonly message: SpooledMessage;
  readonly bareLf: number;
}

/**
 * Reads the DATA or BDAT stream into a spool (memory, then a temporary file), applying
 * backpressure to the client while the spool catches up. Past `maxBytes` the rest is read and
 * dropped, and the spool says `oversize`.
 */
export async function receiveMessage(stream: Readable, opts: { maxBytes: number; bareLf: BareLfMode }): Promise<ReceivedData> {
  const spool = new Spool({ maxBytes: opts.maxBytes });
  const filter = new BareLfFilter(opts.bareLf);
  try {
    for await (const chunk of stream) await spool.write(filter.push(chunk as Buffer));
    return { message: await spool.finish(), bareLf: filter.count };
  } catch (err) {
    await spool.discard();
    throw err;
  }
}

/** Received headers already in the message (each hop adds one; too many means a loop). */
export function countReceived(message: SpooledMessage): number {
  return parseHeaderBlock(message.headerBytes).filter((h) => h.name === 'received').length;
}

/** Header fields with their raw bytes (continuation lines included), in order. */
function splitFields(block: Buffer): { name: string; value: string; raw: Buffer }[] {
  const text = block.toString('latin1');
  const out: { name: string; value: string; raw: Buffer }[] = [];
  let start = 0;
  const lines: [number, number][] = [];
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    lines.push([start, end]);
    start = end;
  }
  let cur: { from: number; to: number } | undefined;
  const flush = () => {
    if (!cur) return;
    const raw = text.slice(cur.from, cur.to);
    const colon = raw.indexOf(':');
    out.push({
      name: colon > 0 ? raw.slice(0, colon).trim().toLowerCase() : '',
      value: colon > 0 ? raw.slice(colon + 1).replace(/\r?\n[ \t]*/g, ' ').trim() : raw,
      raw: Buffer.from(raw, 'latin1'),
    });
  };
  for (const [a, b] of lines) {
    const c = text[a];
    if ((c === ' ' || c === '\t') && cur) cur.to = b;
    else {
      flush();
      cur = { from: a, to: b };
    }
  }
  flush();
  return out;
}

/**
 * The message to store: `prefix` (our trace and authentication headers) in front of the
 * client's message, optionally without some of its header fields (Authentication-Results that
 * claim to come from us, RFC 8601 section 5). Size and SHA-256 are computed by reading the spool
 * once more; the bytes themselves are streamed from the spool again at storage time.
 */
export async function rewriteMessage(raw: SpooledMessage, prefix: Buffer, drop?: (name: string, value: string) => boolean): Promise<SpooledMessage> {
  const original = raw.headerBytes;
  let header = original;
  if (drop && original.length < MAX_HEADER_BYTES) {
    const fields = splitFields(original);
    if (fields.some((f) => drop(f.name, f.value))) header = Buffer.concat(fields.filter((f) => !drop(f.name, f.value)).map((f) => f.raw));
  }
  const head = Buffer.concat([prefix, header]);
  const skip = original.length;
  // The spool parsed the MIME structure as the message arrived; shifted by our prefix it is the
  // structure of the stored message, so the store need not parse it again. (Not when fields were
  // dropped: then the store parses the result itself.)
  const mime = raw.mime && header === original ? prefixedMime(raw.mime, prefix) : undefined;
  const held = raw.memory?.();
  if (held) {
    // Held in memory (most mail): one Buffer of the new message, hashed only when stored.
    const bytes = Buffer.concat([head, held.subarray(skip)]);
    return inMemory({ size: bytes.length, headerBytes: head.subarray(0, MAX_HEADER_BYTES), oversize: raw.oversize, mime }, bytes, () => raw.dispose());
  }
  const hash = createHash('sha256').update(head);
  let size = head.length;
  for await (const piece of afterOffset(raw, skip)) {
    hash.update(piece);
    size += piece.length;
  }
  return {
    size,
    sha256: hash.digest(),
    headerBytes: head.subarray(0, MAX_HEADER_BYTES),
    oversize: raw.oversize,
    mime,
    chunks: (chunkSize: number) => rechunk(head, afterOffset(raw, skip), chunkSize),
    dispose: () => raw.dispose(),
  };
}

/** The MIME parser's default cap on the header text it keeps for SEARCH. */
const MAX_HEADER_TEXT = 64 * 1024;

function shiftPart(p: MimePart, delta: number, root: boolean): MimePart {
  return {
    ...p,
    hs: root ? 0 : p.hs + delta,
    bs: p.bs + delta,
    be: p.be + delta,
    ...(p.parts ? { parts: p.parts.map((c) => shiftPart(c, delta, false)) } : {}),
    ...(p.message ? { message: { envelope: p.message.envelope, body: shiftPart(p.message.body, delta, false) } } : {}),
  };
}

/**
 * What the MIME parser would say about `prefix` + the message, from what it said about the
 * message: every offset moves by the prefix length, the prefix's fields come first in the header
 * text, and Date/Message-ID of the prefix (submission adds them when missing) come first in the
 * envelope, as in a parse of the whole. A unit test compares it with such a parse.
 */
export function prefixedMime(mime: ParsedMessage, prefix: Buffer): ParsedMessage {
  // Header fields only: no body, so no body text to decode.
  const head = parseMessage(Buffer.concat([prefix, Buffer.from('\r\n')]), { maxBodyText: 0 });
  return {
    envelope: { ...mime.envelope, date: head.envelope.date ?? mime.envelope.date, messageId: head.envelope.messageId ?? mime.envelope.messageId },
    structure: { ...mime.structure, root: shiftPart(mime.structure.root, prefix.length, true) },
    headerText: [head.headerText, mime.headerText].filter((t) => t !== '').join('\n').slice(0, MAX_HEADER_TEXT),
    bodyText: mime.bodyText,
  };
}

async function* afterOffset(raw: SpooledMessage, skip: number): AsyncGenerator<Buffer> {
  let skipped = 0;
  for await (const c of raw.chunks(READ_CHUNK)) {
    if (skipped >= skip) {
      yield c;
      continue;
    }
    const take = Math.min(skip - skipped, c.length);
    skipped += take;
    if (take < c.length) yield c.subarray(take);
  }
}

async function* rechunk(head: Buffer, rest: AsyncIterable<Buffer>, chunkSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [head];
  let size = head.length;
  const drain = function* (final: boolean): Generator<Buffer> {
    if (size < chunkSize && !final) return;
    const all = Buffer.concat(pending);
    let i = 0;
    for (; i + chunkSize <= all.length; i += chunkSize) yield all.subarray(i, i + chunkSize);
    const left = all.subarray(i);
    if (final && left.length > 0) yield left;
    pending = final ? [] : [left];
    size = final ? 0 : left.length;
  };
  yield* drain(false);
  for await (const c of rest) {
    pending.push(c);
    size += c.length;
    yield* drain(false);
  }
  yield* drain(true);
}
