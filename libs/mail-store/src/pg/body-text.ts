import type pg from 'pg';
import { MimeStructureParser } from '../mime/parser.js';
import { readBlobs } from './messages.js';
import { BlobStream, CHUNK_BYTES } from './blob-stream.js';
import { pgText } from './text.js';

/** Rows extracted per round: bounds memory (at most this many one-chunk blobs at a time). */
const BATCH = 100;

/**
 * The body text of IMAP SEARCH BODY/TEXT is extracted when a folder's bodies are first searched,
 * not at delivery: decoding every text part and storing a second copy of the text cost about a
 * quarter of the CPU of an SMTP delivery, for mail most of which is never searched by body.
 * Dovecot without an FTS plugin reads the messages on every body search; here the first search
 * of a folder reads the messages that arrived since the last one, and the text then stays in
 * `body_text` (trigram-indexed). `search_indexed` says a row's text is there.
 *
 * Reads blobs on `blobs` (the binary pool). Idempotent: two sessions searching one folder at
 * once both write the same text. Returns how many rows it filled.
 */
export async function extractBodyText(pool: pg.Pool, blobs: pg.Pool, folderId: string): Promise<number> {
  let done = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string; blob_id: string; size: string }>(
      `SELECT m.id::text AS id, m.blob_id::text AS blob_id, b.size::text AS size
         FROM messages m JOIN blobs b ON b.id = m.blob_id
        WHERE m.folder_id = $1 AND NOT m.search_indexed
        ORDER BY m.id LIMIT ${BATCH}`,
      [folderId],
    );
    if (rows.length === 0) return done;
    const whole = await readBlobs(blobs, rows.map((r) => r.blob_id), CHUNK_BYTES);
    const texts: string[] = [];
    for (const r of rows) {
      const parser = new MimeStructureParser();
      const one = whole.get(r.blob_id);
      if (one) parser.push(one);
      else if (r.size !== '0') for await (const chunk of new BlobStream(blobs, r.blob_id)) parser.push(chunk as Buffer);
      texts.push(pgText(parser.end().bodyText));
    }
    await pool.query(
      `UPDATE messages SET body_text = v.t, search_indexed = true
         FROM unnest($1::bigint[], $2::text[]) AS v(id, t) WHERE messages.id = v.id`,
      [rows.map((r) => r.id), texts],
    );
    done += rows.length;
    if (rows.length < BATCH) return done;
  }
}
