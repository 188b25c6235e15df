/**
 * IMAP SEARCH in SQL: the key tree becomes one WHERE clause over the folder's messages, so no
 * message is loaded to be searched. Header keys match the decoded header text (a regular
 * expression anchored at the field name); BODY and TEXT use the trigram-indexed body text.
 *
 * Body text is extracted when a folder's bodies are first searched (body-text.ts), so a body
 * search first extracts what arrived since the last one, then looks only at rows that have their
 * text. A row committed between the two is left out: the session has not announced it yet.
 */
import type pg from 'pg';
import type { SearchHit, SearchKey } from '../search-query.js';
import { extractBodyText } from './body-text.js';

/** `%`, `_` and `\` taken literally in ILIKE. */
function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function regexEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Never NULL: a message without body text does not match BODY and does match NOT BODY. The bare
 * `body_text ILIKE` (with `search_indexed` in the WHERE) lets the planner use the partial trigram index.
 */
function bodyMatches(param: string): string {
  return `(m.body_text IS NOT NULL AND m.body_text ILIKE ${param})`;
}

/** Whether a key tree looks at message bodies (then the folder joins the body index first). */
function usesBody(k: SearchKey): boolean {
  switch (k.type) {
    case 'body':
    case 'text':
      return true;
    case 'not':
      return usesBody(k.key);
    case 'or':
      return usesBody(k.a) || usesBody(k.b);
    case 'and':
      return k.keys.some(usesBody);
    default:
      return false;
  }
}

class Compiler {
  readonly params: unknown[];
  constructor(folderId: string) {
    this.params = [folderId];
  }
  private p(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }

  compile(k: SearchKey): string {
    switch (k.type) {
      case 'all':
        return 'TRUE';
      case 'none':
        return 'FALSE';
      case 'uid': {
        if (k.ranges.length === 0) return 'FALSE';
        const from = this.p(k.ranges.map((r) => r.from));
        const to = this.p(k.ranges.map((r) => r.to));
        return `EXISTS (SELECT 1 FROM unnest(${from}::bigint[], ${to}::bigint[]) AS r(a, b) WHERE m.uid BETWEEN r.a AND r.b)`;
      }
      case 'flag':
        return `${k.present ? '' : 'NOT '}(${this.p(k.flag)} = ANY (m.flags))`;
      case 'date': {
        // Without a usable Date header the sent date is the epoch, as in Dovecot.
        const column = k.field === 'internal' ? 'm.internal_date' : "COALESCE(m.sent_date, 'epoch'::timestamptz)";
        const op = k.op === 'before' ? '<' : k.op === 'on' ? '=' : '>=';
        return `(${column} AT TIME ZONE 'UTC')::date ${op} ${this.p(k.date)}::date`;
      }
      case 'size':
        return `m.size ${k.op === 'larger' ? '>' : '<'} ${this.p(k.bytes)}`;
      case 'header': {
        const name = regexEscape(k.field.toLowerCase());
        const pattern = `(^|\n)${name}:[^\n]*${regexEscape(k.value)}`;
        return `COALESCE(m.header_text, '') ~* ${this.p(pattern)}`;
      }
      case 'body':
        return bodyMatches(this.p(likePattern(k.value)));
      case 'text': {
        const p = this.p(likePattern(k.value));
        return `(${bodyMatches(p)} OR COALESCE(m.header_text, '') ILIKE ${p})`;
      }
      case 'modseq':
        return `m.modseq >= ${this.p(k.min)}`;
      case 'not':
        return `NOT (${this.compile(k.key)})`;
      case 'or':
        return `((${this.compile(k.a)}) OR (${this.compile(k.b)}))`;
      case 'and':
        return k.keys.length === 0 ? 'TRUE' : k.keys.map((x) => `(${this.compile(x)})`).join(' AND ');
    }
  }
}

/** `blobs`: the binary pool, for reading messages whose body text is not extracted yet. */
export async function search(pool: pg.Pool, blobs: pg.Pool, folderId: string, key: SearchKey): Promise<SearchHit[]> {
  const body = usesBody(key);
  if (body) await extractBodyText(pool, blobs, folderId);
  const c = new Compiler(folderId);
  const where = c.compile(key);
  const { rows } = await pool.query<{ uid: string; modseq: string }>(
    `SELECT m.uid, m.modseq FROM messages m WHERE m.folder_id = $1${body ? ' AND m.search_indexed' : ''} AND (${where}) ORDER BY m.uid`,
    c.params,
  );
  return rows.map((r) => ({ uid: Number(r.uid), modseq: Number(r.modseq) }));
}
