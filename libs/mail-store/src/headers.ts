import libmime from 'libmime';

/** Fields stored with each message so SEARCH and listings need not read the blob. */
export interface HeaderSummary {
  readonly subject: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly messageId: string | null;
  readonly date: Date | null;
}

const MAX_FIELD = 4096;

/** Unfolds a header block into (lower-case name, raw value) pairs, in order. */
export function parseHeaderBlock(block: Buffer): { name: string; value: string }[] {
  const text = block.toString('latin1');
  const out: { name: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && out.length > 0) {
      const last = out[out.length - 1]!;
      if (last.value.length < MAX_FIELD) last.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return out;
}

function decode(value: string | undefined): string | null {
  if (value === undefined) return null;
  // Header bytes are read as latin1 so that 8-bit UTF-8 survives the round trip through Buffer.
  const utf8 = Buffer.from(value, 'latin1').toString('utf8');
  try {
    return libmime.decodeWords(utf8).slice(0, MAX_FIELD);
  } catch {
    return utf8.slice(0, MAX_FIELD);
  }
}

export function summarizeHeaders(block: Buffer): HeaderSummary {
  const fields = parseHeaderBlock(block);
  const first = (name: string) => fields.find((f) => f.name === name)?.value;
  const rawDate = first('date');
  const date = rawDate ? new Date(rawDate) : null;
  return {
    subject: decode(first('subject')),
    from: decode(first('from')),
    to: decode(first('to')),
    messageId: first('message-id')?.slice(0, 998) ?? null,
    date: date && !Number.isNaN(date.getTime()) ? date : null,
  };
}
