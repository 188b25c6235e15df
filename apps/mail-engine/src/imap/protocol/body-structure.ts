/**
 * ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 7.4.2) written from the structure stored at
 * delivery, and BODY[section] resolved to the bytes it stands for: a byte range of the blob, or a
 * header range to filter (HEADER.FIELDS). Nothing here reads a message. Pure.
 */
import { envelopeToImap, type Envelope, type MessageStructure, type MimePart, type Params } from '@darwin/mail-store';
import type { ResponseBuilder } from './compiler.js';
import type { Partial, Section } from './fetch-items.js';

/** ENVELOPE, rendered by the same function that renders the stored wire form at delivery. */
export function writeEnvelope(b: ResponseBuilder, e: Envelope): void {
  b.token(envelopeToImap(e));
}

function params(b: ResponseBuilder, p: Params): void {
  if (p.length === 0) {
    b.nstring(null);
    return;
  }
  b.list((l) => {
    for (const [k, v] of p) l.string(k).string(v);
  });
}

function extension(b: ResponseBuilder, p: MimePart): void {
  if (p.disposition) b.list((l) => params(l.string(p.disposition!.type), p.disposition!.params));
  else b.nstring(null);
  if (p.language && p.language.length > 0) {
    if (p.language.length === 1) b.string(p.language[0]!);
    else b.list((l) => p.language!.forEach((x) => l.string(x)));
  } else b.nstring(null);
  b.nstring(p.location);
}

/** One body (part): BODY when `ext` is false, BODYSTRUCTURE (with extension data) when true. */
export function writeBody(b: ResponseBuilder, p: MimePart, ext: boolean, adjacent = false): void {
  const fill = (l: ResponseBuilder) => {
    if (p.parts) {
      for (const child of p.parts) writeBody(l, child, ext, true);
      l.string(p.subtype);
      if (ext) {
        params(l, p.params);
        extension(l, p);
      }
      return;
    }
    l.string(p.type).string(p.subtype);
    params(l, p.params);
    l.nstring(p.id).nstring(p.description).string(p.encoding).number(p.be - p.bs);
    if (p.message) {
      writeEnvelope(l, p.message.envelope);
      writeBody(l, p.message.body, ext);
      l.number(p.lines);
    } else if (p.type.toLowerCase() === 'text') {
      l.number(p.lines);
    }
    if (ext) {
      l.nstring(p.md5);
      extension(l, p);
    }
  };
  if (adjacent) b.adjacentList(fill);
  else b.list(fill);
}

/** What a BODY[section] stands for. */
export type SectionSource =
  | { readonly type: 'range'; readonly start: number; readonly end: number }
  /** A header to read and filter (HEADER.FIELDS / HEADER.FIELDS.NOT). */
  | { readonly type: 'fields'; readonly start: number; readonly end: number; readonly fields: readonly string[]; readonly not: boolean }
  /** A part that does not exist: answered with an empty literal, like Dovecot. */
  | { readonly type: 'missing' };

/** The part a path names (RFC 3501 6.4.5: a non-multipart body is its own part 1). */
function partAt(root: MimePart, path: readonly number[]): MimePart | undefined {
  let ctx: MimePart = root;
  let part: MimePart | undefined;
  for (let i = 0; i < path.length; i++) {
    const n = path[i]!;
    if (ctx.parts) part = ctx.parts[n - 1];
    else part = n === 1 ? ctx : undefined;
    if (!part) return undefined;
    if (i < path.length - 1) {
      if (part.message) ctx = part.message.body;
      else if (part.parts) ctx = part;
      else return undefined;
    }
  }
  return part;
}

export function resolveSection(structure: MessageStructure, size: number, s: Section): SectionSource {
  const root = structure.root;
  if (s.path.length === 0) {
    if (!s.text) return { type: 'range', start: 0, end: size };
    return textOf(0, root.bs, root.bs, size, s);
  }
  const part = partAt(root, s.path);
  if (!part) return { type: 'missing' };
  if (!s.text) return { type: 'range', start: part.bs, end: part.be };
  if (s.text === 'MIME') return { type: 'range', start: part.hs, end: part.bs };
  // HEADER and TEXT of a part are those of the message it encapsulates.
  if (!part.message) return { type: 'missing' };
  const m = part.message.body;
  return textOf(m.hs, m.bs, m.bs, part.be, s);
}

function textOf(headerStart: number, headerEnd: number, textStart: number, textEnd: number, s: Section): SectionSource {
  switch (s.text) {
    case 'TEXT':
      return { type: 'range', start: textStart, end: Math.max(textStart, textEnd) };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return { type: 'fields', start: headerStart, end: headerEnd, fields: s.fields ?? [], not: s.text === 'HEADER.FIELDS.NOT' };
    default:
      return { type: 'range', start: headerStart, end: headerEnd };
  }
}

/** A partial `<offset.length>` applied to a length: the slice [start, end) of it. */
export function applyPartial(length: number, partial: Partial | undefined): { start: number; end: number } {
  if (!partial) return { start: 0, end: length };
  const start = Math.min(partial.offset, length);
  const end = partial.length === undefined ? length : Math.min(length, partial.offset + partial.length);
  return { start, end: Math.max(start, end) };
}

/**
 * The header lines of the named fields (or of all others), with their continuation lines, and
 * the blank line that ends a header (RFC 3501: the subset of the header, CRLF-terminated).
 */
export function filterHeader(header: Buffer, fields: readonly string[], not: boolean): Buffer {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const text = header.toString('latin1');
  const out: string[] = [];
  let keep = false;
  for (const line of text.split(/(?<=\n)/)) {
    if (line === '\r\n' || line === '\n') break;
    if (line[0] === ' ' || line[0] === '\t') {
      if (keep) out.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const name = (colon > 0 ? line.slice(0, colon) : line).trim().toLowerCase();
    keep = colon > 0 && wanted.has(name) !== not;
    if (keep) out.push(line.endsWith('\n') ? line : `${line}\r\n`);
  }
  out.push('\r\n');
  return Buffer.from(out.join(''), 'latin1');
}
