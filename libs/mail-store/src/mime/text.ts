/**
 * Turns the raw body of a text part into searchable text: transfer decoding (base64,
 * quoted-printable), charset conversion (the WHATWG decoders of Node's ICU), and for HTML the
 * text without tags. Pure.
 */
function decodeQuotedPrintable(s: string): Buffer {
  const out: number[] = [];
  const text = s.replace(/[ \t]+$/gm, '').replace(/=\r?\n/g, '');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Buffer.from(out);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

export function decodeBodyText(raw: Buffer, encoding: string, charset: string, html: boolean): string {
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(raw.toString('latin1'));
  else bytes = raw;
  let text: string;
  try {
    text = new TextDecoder(charset.trim().toLowerCase() || 'utf-8').decode(bytes);
  } catch {
    // Unknown charset: UTF-8 is the best guess (and right for most mislabelled mail).
    text = bytes.toString('utf8');
  }
  if (html) text = htmlToText(text);
  // NUL is not allowed in Postgres text; collapse runs of whitespace to keep the column small.
  return text.replace(/\0/g, '').replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}
