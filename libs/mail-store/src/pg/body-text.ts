import type pg from 'pg';
import { MimeStructureParser } from '../mime/parser.js';
import { readBlobs } from './messages.js';
import { BlobStream, CHUNK_BYTES } from './blob-stream.js';
import { pgText } from './text.js';

/** Rows extracted per round: bounds memory (at most this many one-chunk blobs at a time). */
const BATCH = 100;

type Row = { id: string; blob_id: string; size: string };
type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * The body text of IMAP SEARCH BODY/TEXT is not extracted at delivery: decoding every text part
 * and storing a second copy of the text cost about a quarter of the CPU of an SMTP delivery. The
 * engine's background indexer (indexPendingBodyText) fills it shortly after delivery at a bounded
 * rate, like Dovecot's fts indexer; a body search first fills whatever of its folder the indexer
 * has not reached yet (after a burst), so its answer is always complete. The text then stays in
 * `body_text` (trigram-indexed); `search_indexed` says a row's text is there.
 *
 * Reads blobs on `blobs` (the binary pool). Idempotent: two sessions searching one folder at
 * once both write the same text. Returns how many rows it filled.
 */
export async function extractBodyText(pool: pg.Pool, blobs: pg.Pool, folderId: string): Promise<number> {
  let done = 0;
  for (;;) {
    const { rows } = await pool.query<Row>(
      `SELECT m.id::text AS id, m.blob_id::text AS blob_id, b.size::text AS size
         FROM messages m JOIN blobs b ON b.id = m.blob_id
        WHERE m.folder_id = $1 AND NOT m.search_indexed
        ORDER BY m.id LIMIT ${BATCH}`,
      [folderId],
    );
    if (rows.length === 0) return done;
    await fill(pool, blobs, rows);
    done += rows.length;
    if (rows.length < BATCH) return done;
  }
}

/**
 * Fills the body text of up to `max` not yet indexed messages of any folder. Rows are locked while
 * they are read (SKIP LOCKED), so indexers in several engine processes share the work instead of
 * repeating it. Returns how many rows it filled.
 */
export async function indexPendingBodyText(pool: pg.Pool, blobs: pg.Pool, max: number): Promise<number> {
  let done = 0;
  while (done < max) {
    const limit = Math.min(BATCH, max - done);
    const client = await pool.connect();
    let n = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<Row>(
        `SELECT m.id::text AS id, m.blob_id::text AS blob_id, b.size::text AS size
           FROM messages m JOIN blobs b ON b.id = m.blob_id
          WHERE NOT m.search_indexed
          LIMIT ${limit} FOR UPDATE OF m SKIP LOCKED`,
      );
      if (rows.length > 0) await fill(client, blobs, rows);
      await client.query('COMMIT');
      n = rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    done += n;
    if (n < limit) break;
  }
  return done;
}

/** Reads the rows' messages, extracts their text parts and stores the text. */
async function fill(q: Queryable, blobs: pg.Pool, rows: readonly Row[]): Promise<void> {
  const whole = await readBlobs(blobs, rows.map((r) => r.blob_id), CHUNK_BYTES);
  const texts: string[] = [];
  for (const r of rows) {
    const parser = new MimeStructureParser();
    const one = whole.get(r.blob_id);
    if (one) parser.push(one);
    else if (r.size !== '0') for await (const chunk of new BlobStream(blobs, r.blob_id)) parser.push(chunk as Buffer);
    texts.push(pgText(parser.end().bodyText));
  }
  await q.query(
    `UPDATE messages SET body_text = v.t, search_indexed = true
       FROM unnest($1::bigint[], $2::text[]) AS v(id, t) WHERE messages.id = v.id`,
    [rows.map((r) => r.id), texts],
  );
}
