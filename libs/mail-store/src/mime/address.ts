/**
 * RFC 5322 address lists -> IMAP ENVELOPE addresses (RFC 3501 7.4.2): display names unquoted,
 * encoded-words left as written, groups framed by (NIL NIL "name" NIL) ... (NIL NIL NIL NIL),
 * comments dropped. Lenient, like the clients that write these headers. Pure.
 */
import type { EnvelopeAddress } from './structure.js';

/** `sp`: whitespace (or a comment) came before the token. */
type Tok = { readonly t: 'word'; readonly v: string; readonly quoted: boolean; readonly sp: boolean } | { readonly t: 'special'; readonly v: string; readonly sp: boolean };

const SPECIALS = new Set(['<', '>', ',', ':', ';', '@', '.']);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let sp = false;
  const push = (t: Tok) => {
    out.push(t);
    sp = false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      sp = true;
      i++;
      continue;
    }
    if (c === '(') {
      // Comment (nested, with quoted pairs): dropped.
      let depth = 0;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '\\') i++;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) {
          i++;
          break;
        }
        i++;
      }
      sp = true;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i];
        i++;
      }
      i++;
      push({ t: 'word', v, quoted: true, sp });
      continue;
    }
    if (SPECIALS.has(c)) {
      push({ t: 'special', v: c, sp });
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && !SPECIALS.has(s[j]!) && !' \t\r\n("'.includes(s[j]!)) j++;
    push({ t: 'word', v: s.slice(i, j), quoted: false, sp });
    i = j;
  }
  return out;
}

const addr = (name: string | null, adl: string | null, mailbox: string | null, host: string | null): EnvelopeAddress => ({ name, adl, mailbox, host });

/** Words and dots of an addr-spec part, joined without spaces (`a . b` -> `a.b`). */
function joinTight(toks: readonly Tok[]): string {
  return toks.map((t) => t.v).join('');
}

/** A phrase (display name): tokens with one space where the header had whitespace. */
function phrase(toks: readonly Tok[]): string | null {
  let out = '';
  for (const t of toks) {
    if (t.sp && out.length > 0) out += ' ';
    out += t.v;
  }
  return out.length > 0 ? out : null;
}

function addrSpec(toks: readonly Tok[]): { mailbox: string | null; host: string | null } {
  const at = toks.findIndex((t) => t.t === 'special' && t.v === '@');
  if (at < 0) {
    const m = joinTight(toks);
    return { mailbox: m.length > 0 ? m : null, host: null };
  }
  const local = joinTight(toks.slice(0, at));
  const host = joinTight(toks.slice(at + 1));
  return { mailbox: local, host: host.length > 0 ? host : null };
}

function mailbox(toks: readonly Tok[]): EnvelopeAddress | undefined {
  if (toks.length === 0) return undefined;
  const lt = toks.findIndex((t) => t.t === 'special' && t.v === '<');
  if (lt < 0) {
    const { mailbox: m, host } = addrSpec(toks);
    if (m === null && host === null) return undefined;
    return addr(null, null, m, host);
  }
  let gt = toks.findIndex((t, i) => i > lt && t.t === 'special' && t.v === '>');
  if (gt < 0) gt = toks.length;
  const name = phrase(toks.slice(0, lt));
  let inner = toks.slice(lt + 1, gt);
  let adl: string | null = null;
  const colon = inner.findIndex((t) => t.t === 'special' && t.v === ':');
  if (colon >= 0 && inner[0]?.t === 'special' && inner[0].v === '@') {
    adl = joinTight(inner.slice(0, colon));
    inner = inner.slice(colon + 1);
  }
  const { mailbox: m, host } = addrSpec(inner);
  return addr(name, adl, m, host);
}

/** Parses an address list header value; null when it holds no address at all. */
export function parseAddressList(value: string | undefined): EnvelopeAddress[] | null {
  if (value === undefined) return null;
  const toks = tokenize(value);
  const out: EnvelopeAddress[] = [];
  let i = 0;
  let current: Tok[] = [];
  let group: string | null | undefined;
  const flush = () => {
    const a = mailbox(current);
    if (a) out.push(a);
    current = [];
  };
  let inAngle = false;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.t === 'special' && t.v === '<') inAngle = true;
    if (t.t === 'special' && t.v === '>') inAngle = false;
    if (t.t === 'special' && t.v === ',' && !inAngle) {
      flush();
      i++;
      continue;
    }
    if (t.t === 'special' && t.v === ':' && group === undefined && !current.some((c) => c.t === 'special' && (c.v === '<' || c.v === '@'))) {
      group = phrase(current) ?? '';
      out.push(addr(null, null, group, null));
      current = [];
      i++;
      continue;
    }
    if (t.t === 'special' && t.v === ';' && group !== undefined) {
      flush();
      out.push(addr(null, null, null, null));
      group = undefined;
      i++;
      continue;
    }
    current.push(t);
    i++;
  }
  flush();
  if (group !== undefined) out.push(addr(null, null, null, null));
  return out.length > 0 ? out : null;
}
