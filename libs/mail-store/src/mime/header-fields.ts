/**
 * Header block helpers for the MIME parser: unfolding into fields, Content-Type style values with
 * parameters, and the ENVELOPE of a header. Pure.
 */
import libmime from 'libmime';
import { parseAddressList } from './address.js';
import type { Envelope, Params } from './structure.js';

export interface HeaderField {
  /** Lower case. */
  readonly name: string;
  /** Unfolded (CRLF removed, the folding whitespace kept), leading whitespace trimmed. */
  readonly value: string;
}

/** Fields of a header block given as text (bytes read as UTF-8); lines without a colon are skipped. */
export function headerFields(text: string): HeaderField[] {
  const out: { name: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && out.length > 0) {
      out[out.length - 1]!.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).replace(/^[ \t]+/, '') });
  }
  return out.map((f) => ({ name: f.name, value: f.value.replace(/[ \t]+$/, '') }));
}

export function firstField(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find((f) => f.name === name)?.value;
}

/** Drops RFC 5322 comments outside quoted strings. */
function stripComments(s: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += c + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted) {
      if (c === '(') {
        depth++;
        continue;
      }
      if (c === ')' && depth > 0) {
        depth--;
        continue;
      }
    }
    if (depth === 0) out += c;
  }
  return out;
}

/** `value; a=b; c="d e"` -> the value and its parameters (names as written, values unquoted). */
export function parseParameterized(raw: string): { value: string; params: [string, string][] } {
  const s = stripComments(raw);
  const params: [string, string][] = [];
  let i = s.indexOf(';');
  const value = (i < 0 ? s : s.slice(0, i)).trim();
  while (i >= 0 && i < s.length) {
    i++; // past ';'
    while (i < s.length && /\s/.test(s[i]!)) i++;
    const eq = s.indexOf('=', i);
    const semi = s.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      i = semi;
      continue;
    }
    const name = s.slice(i, eq).trim();
    let j = eq + 1;
    while (j < s.length && /\s/.test(s[j]!)) j++;
    let v = '';
    if (s[j] === '"') {
      j++;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        v += s[j];
        j++;
      }
      j++;
      const next = s.indexOf(';', j);
      i = next;
    } else {
      const next = s.indexOf(';', j);
      v = (next < 0 ? s.slice(j) : s.slice(j, next)).trim();
      i = next;
    }
    if (name.length > 0 && /^[\x21-\x7e]+$/.test(name)) params.push([name, v]);
  }
  return { value, params };
}

/** Content-Type -> type, subtype, parameters; undefined when missing or malformed. */
export function parseContentType(raw: string | undefined): { type: string; subtype: string; params: Params } | undefined {
  if (raw === undefined) return undefined;
  const { value, params } = parseParameterized(raw);
  const m = /^([^\s/]+)\s*\/\s*([^\s;]+)$/.exec(value);
  if (!m) return undefined;
  return { type: m[1]!, subtype: m[2]!, params };
}

const nil = (s: string | undefined): string | null => (s === undefined ? null : s);

/** ENVELOPE of a header (RFC 3501 7.4.2): sender and reply-to default to from. */
export function envelopeOf(fields: readonly HeaderField[]): Envelope {
  const f = (n: string) => firstField(fields, n);
  const from = parseAddressList(f('from'));
  const sender = parseAddressList(f('sender')) ?? from;
  const replyTo = parseAddressList(f('reply-to')) ?? from;
  return {
    date: nil(f('date')),
    subject: nil(f('subject')),
    from,
    sender,
    replyTo,
    to: parseAddressList(f('to')),
    cc: parseAddressList(f('cc')),
    bcc: parseAddressList(f('bcc')),
    inReplyTo: nil(f('in-reply-to')),
    messageId: nil(f('message-id')),
  };
}

/** Encoded-words decoded (for SEARCH, not for the wire). */
export function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
