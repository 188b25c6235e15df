import type pg from 'pg';
import { envelopeToImap } from '../mime/imap-envelope.js';
import { MimeStructureParser } from '../mime/parser.js';
import type { Envelope, MessageStructure } from '../mime/structure.js';
import type { ExpungedSince, ExpungedUid, ExpungeOptions, FolderSnapshot, FlagMode, FlagUpdate, FolderStatus, ListOptions, RecentClaim, MessageSummary, StoreFlagsOptions, StoreFlagsResult, UidRange } from '../types.js';
import { BlobStream, CHUNK_BYTES } from './blob-stream.js';
import { jsonb, pgText } from './text.js';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows.js';
import { inTransaction, notifyFolder } from './tx.js';

const UID_MAX = 4294967295;

type StructuredRow = MessageRow & { envelope?: Envelope | null; bodystructure?: MessageStructure | null; envelope_imap?: string | null };

export async function listMessages(pool: pg.Pool, folderId: string, range: UidRange = {}, opts: ListOptions = {}): Promise<MessageSummary[]> {
  let columns = MESSAGE_COLUMNS;
  if (opts.structure) columns += ', m.envelope, m.bodystructure';
  if (opts.envelope) columns += ', m.envelope_imap';
  const { rows } = await pool.query<StructuredRow>(
    `SELECT ${columns} FROM messages m WHERE m.folder_id = $1 AND m.uid BETWEEN $2 AND $3 ORDER BY m.uid`,
    [folderId, range.from ?? 1, range.to ?? UID_MAX],
  );
  if (!opts.structure && !opts.envelope) return rows.map(toMessage);
  const out: MessageSummary[] = [];
  for (const r of rows) {
    let envelope = r.envelope ?? undefined;
    let structure = r.bodystructure ?? undefined;
    let envelopeImap = r.envelope_imap ?? undefined;
    if ((opts.structure && (!envelope || !structure || structure.v !== 1)) || (opts.envelope && !envelopeImap)) {
      ({ envelope, structure, envelopeImap } = await backfillStructure(pool, r.id, r.blob_id));
    }
    const m = toMessage(r);
    out.push({ ...m, ...(opts.structure ? { envelope, structure } : {}), ...(opts.envelope ? { envelopeImap } : {}) });
  }
  return out;
}

/**
 * Messages stored before the structure was computed at delivery get it on first use: the blob is
 * streamed through the parser once and the row updated (envelope, structure, header text; the body
 * text waits for a body search, body-text.ts).
 */
async function backfillStructure(pool: pg.Pool, messageId: string, blobId: string): Promise<{ envelope: Envelope; structure: MessageStructure; envelopeImap: string }> {
  const parser = new MimeStructureParser({ maxBodyText: 0 });
  for await (const chunk of new BlobStream(pool, blobId)) parser.push(chunk as Buffer);
  const mime = parser.end();
  const envelopeImap = pgText(envelopeToImap(mime.envelope));
  await pool.query('UPDATE messages SET envelope = $2, bodystructure = $3, header_text = $4, envelope_imap = $5 WHERE id = $1', [
    messageId,
    jsonb(mime.envelope),
    jsonb(mime.structure),
    pgText(mime.headerText),
    envelopeImap,
  ]);
  return { envelope: mime.envelope, structure: mime.structure, envelopeImap };
}

/** Whole blobs of at most `maxBytes` (one chunk each), in one query; larger ones are left out. */
export async function readBlobs(pool: pg.Pool, blobIds: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (blobIds.length === 0) return out;
  // Only bytea and text columns: this runs on the binary pool (see binaryPool).
  const { rows } = await pool.query<{ blob_id: string; data: Buffer }>(
    `SELECT c.blob_id::text AS blob_id, c.data FROM blob_chunks c JOIN blobs b ON b.id = c.blob_id
      WHERE c.blob_id = ANY ($1::bigint[]) AND c.seq = 0 AND b.size <= $2::bigint AND b.size <= $3::bigint`,
    [blobIds, maxBytes, CHUNK_BYTES],
  );
  for (const r of rows) out.set(String(r.blob_id), r.data);
  return out;
}

/** "1,2,3" -> [1, 2, 3]: one string is much cheaper to move and parse than an array of bigints. */
function splitUids(list: string | null | undefined): number[] {
  return list ? list.split(',').map(Number) : [];
}

export async function listUids(pool: pg.Pool, folderId: string): Promise<number[]> {
  const { rows } = await pool.query<{ uids: string | null }>(`SELECT string_agg(uid::text, ',' ORDER BY uid) AS uids FROM messages WHERE folder_id = $1`, [folderId]);
  return splitUids(rows[0]?.uids);
}

export async function folderSnapshot(pool: pg.Pool, folderId: string): Promise<FolderSnapshot> {
  const { rows } = await pool.query<{ uids: string | null; first_unseen: string | null; keywords: string[] | null }>(
    `SELECT string_agg(uid::text, ',' ORDER BY uid) AS uids,
            min(uid) FILTER (WHERE NOT ('\\Seen' = ANY (flags))) AS first_unseen,
            (SELECT array_agg(DISTINCT k ORDER BY k) FROM messages m2, unnest(m2.flags) AS k
              WHERE m2.folder_id = $1 AND left(k, 1) <> '\\') AS keywords
       FROM messages WHERE folder_id = $1`,
    [folderId],
  );
  const r = rows[0];
  return { uids: splitUids(r?.uids), firstUnseenUid: r?.first_unseen ? Number(r.first_unseen) : undefined, keywords: r?.keywords ?? [] };
}

export async function listExpungedSince(pool: pg.Pool, folderId: string, sinceModseq: number): Promise<ExpungedSince> {
  const { rows } = await pool.query<{ horizon: string; uid: string | null; modseq: string | null }>(
    `SELECT f.vanished_horizon AS horizon, e.uid, e.modseq
       FROM folders f LEFT JOIN expunged_messages e ON e.folder_id = f.id AND e.modseq > $2
      WHERE f.id = $1 ORDER BY e.uid`,
    [folderId, sinceModseq],
  );
  const horizon = Number(rows[0]?.horizon ?? 0);
  const uids: ExpungedUid[] = [];
  for (const r of rows) if (r.uid !== null) uids.push({ uid: Number(r.uid), modseq: Number(r.modseq) });
  return { uids, complete: sinceModseq >= horizon, horizon };
}

/** One batch of pruning: the oldest records first, each folder's horizon raised in the same statement. */
const PRUNE_BATCH = 5000;

export async function pruneExpunged(pool: pg.Pool, olderThan: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      `WITH old AS (
         SELECT folder_id, uid FROM expunged_messages WHERE expunged_at < $1 ORDER BY expunged_at LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM expunged_messages e USING old WHERE e.folder_id = old.folder_id AND e.uid = old.uid RETURNING e.folder_id, e.modseq
       ), raised AS (
         UPDATE folders f SET vanished_horizon = GREATEST(f.vanished_horizon, g.modseq)
           FROM (SELECT folder_id, max(modseq) AS modseq FROM gone GROUP BY folder_id) g
          WHERE f.id = g.folder_id RETURNING f.id
       )
       SELECT count(*) AS n FROM gone`,
      [olderThan],
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < PRUNE_BATCH) return total;
  }
}

export async function listChangedSince(pool: pg.Pool, folderId: string, sinceModseq: number): Promise<MessageSummary[]> {
  const { rows } = await pool.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.folder_id = $1 AND m.modseq > $2 ORDER BY m.uid`,
    [folderId, sinceModseq],
  );
  return rows.map(toMessage);
}

export async function folderStatus(pool: pg.Pool, folderId: string): Promise<FolderStatus> {
  const { rows } = await pool.query<{ messages: string; unseen: string; size: string | null; uidnext: string; uidvalidity: string; highest_modseq: string; recent_uid: string; recent: string }>(
    `SELECT f.uidnext, f.uidvalidity, f.highest_modseq, f.recent_uid,
            (SELECT count(*) FROM messages m WHERE m.folder_id = f.id) AS messages,
            (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.uid >= f.recent_uid) AS recent,
            (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND NOT ('\\Seen' = ANY (m.flags))) AS unseen,
            (SELECT sum(size) FROM messages m WHERE m.folder_id = f.id) AS size
       FROM folders f WHERE f.id = $1`,
    [folderId],
  );
  const r = rows[0];
  if (!r) throw new Error(`folder ${folderId} does not exist`);
  return {
    messages: Number(r.messages),
    unseen: Number(r.unseen),
    sizeBytes: Number(r.size ?? 0),
    uidnext: Number(r.uidnext),
    uidvalidity: Number(r.uidvalidity),
    highestModseq: Number(r.highest_modseq),
    recent: Number(r.recent),
    recentUid: Number(r.recent_uid),
  };
}

/**
 * Moves the folder's \Recent mark to uidnext; the row lock orders it with deliveries and other
 * claims (FOR UPDATE re-reads the row after waiting). With nothing to claim no row is locked, so
 * the usual SELECT writes nothing and waits for no WAL flush.
 */
export async function claimRecent(pool: pg.Pool, folderId: string): Promise<RecentClaim> {
  const { rows } = await pool.query<{ first: string; next: string }>(
    `UPDATE folders f SET recent_uid = f.uidnext
       FROM (SELECT id, recent_uid FROM folders WHERE id = $1 AND recent_uid < uidnext FOR UPDATE) old
      WHERE f.id = old.id
      RETURNING old.recent_uid AS first, f.uidnext AS next`,
    [folderId],
  );
  const r = rows[0];
  return r ? { from: Number(r.first), to: Number(r.next) } : { from: 0, to: 0 };
}

const FLAG_SQL: Record<FlagMode, { value: string; changed: string }> = {
  set: { value: '$3::text[]', changed: 'NOT (flags @> $3::text[] AND flags <@ $3::text[])' },
  add: { value: 'ARRAY(SELECT DISTINCT unnest(flags || $3::text[]) ORDER BY 1)', changed: 'NOT (flags @> $3::text[])' },
  remove: { value: 'ARRAY(SELECT f FROM unnest(flags) AS f WHERE f <> ALL ($3::text[]) ORDER BY 1)', changed: 'flags && $3::text[]' },
};

export async function updateFlags(pool: pg.Pool, folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[]): Promise<FlagUpdate[]> {
  return (await storeFlags(pool, folderId, uids, mode, flags)).updated;
}

export async function storeFlags(
  pool: pg.Pool,
  folderId: string,
  uids: readonly number[],
  mode: FlagMode,
  flags: readonly string[],
  opts: StoreFlagsOptions = {},
): Promise<StoreFlagsResult> {
  if (uids.length === 0) return { updated: [], modified: [] };
  const wanted = [...new Set(flags.filter((f) => f.toLowerCase() !== '\\recent'))].sort();
  const sql = FLAG_SQL[mode];
  let modified: number[] = [];
  const guard = opts.unchangedSince === undefined ? '' : ' AND modseq <= $5';
  return inTransaction(pool, async (c) => {
    // One new modseq for the whole command, taken under the folder's row lock (RFC 7162 3.1.3).
    const f = await c.query<{ modseq: string }>('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq AS modseq', [folderId]);
    if (f.rowCount === 0) return { updated: [], modified };
    const modseq = Number(f.rows[0]!.modseq);
    if (opts.unchangedSince !== undefined) {
      const m = await c.query<{ uid: string }>('SELECT uid FROM messages WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) AND modseq > $3 ORDER BY uid', [
        folderId,
        uids,
        opts.unchangedSince,
      ]);
      modified = m.rows.map((r) => Number(r.uid));
    }
    const params: unknown[] = [folderId, uids, wanted, modseq];
    if (opts.unchangedSince !== undefined) params.push(opts.unchangedSince);
    const { rows } = await c.query<{ uid: string; flags: string[] }>(
      `UPDATE messages SET flags = ${sql.value}, modseq = $4
        WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) AND ${sql.changed}${guard}
        RETURNING uid, flags`,
      params,
    );
    if (rows.length === 0) {
      // Nothing changed: give the modseq back by rolling back the bump.
      throw new NoChange();
    }
    await notifyFolder(c, folderId, 'flags', modseq);
    return { updated: rows.map((r) => ({ uid: Number(r.uid), flags: r.flags, modseq })).sort((a, b) => a.uid - b.uid), modified };
  }).catch((err: unknown) => {
    if (err instanceof NoChange) return { updated: [], modified };
    throw err;
  });
}

export class NoChange extends Error {}

export async function expunge(pool: pg.Pool, folderId: string, opts: ExpungeOptions): Promise<number[]> {
  return inTransaction(pool, (c) => expungeIn(c, folderId, opts)).catch((err: unknown) => {
    if (err instanceof NoChange) return [];
    throw err;
  });
}

/** expunge() inside a transaction; throws NoChange when nothing was removed. */
export async function expungeIn(c: pg.PoolClient, folderId: string, opts: ExpungeOptions): Promise<number[]> {
  // Lock order shared with deliver(): mailbox row, then folder row, then messages, then blobs.
  const owner = await c.query<{ mailbox_id: string }>(
    'SELECT m.id AS mailbox_id FROM mailboxes m JOIN folders f ON f.mailbox_id = m.id WHERE f.id = $1 FOR UPDATE OF m',
    [folderId],
  );
  const mailboxId = owner.rows[0]?.mailbox_id;
  if (!mailboxId) throw new NoChange();
  const f = await c.query<{ modseq: string }>('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq AS modseq', [folderId]);
  const modseq = Number(f.rows[0]!.modseq);
  const conditions = ['folder_id = $1'];
  const params: unknown[] = [folderId];
  if (opts.uids) {
    params.push(opts.uids);
    conditions.push(`uid = ANY ($${params.length}::bigint[])`);
  }
  if (opts.onlyDeleted) conditions.push(`'\\Deleted' = ANY (flags)`);
  const { rows } = await c.query<{ uid: string; size: string; blob_id: string }>(
    `DELETE FROM messages WHERE ${conditions.join(' AND ')} RETURNING uid, size, blob_id`,
    params,
  );
  if (rows.length === 0) throw new NoChange();
  await recordExpunged(c, folderId, rows.map((r) => r.uid), modseq);
  const bytes = rows.reduce((n, r) => n + Number(r.size), 0);
  await c.query('UPDATE mailboxes SET used_bytes = used_bytes - $2, used_messages = used_messages - $3 WHERE id = $1', [mailboxId, bytes, rows.length]);
  const perBlob = new Map<string, number>();
  for (const r of rows) perBlob.set(r.blob_id, (perBlob.get(r.blob_id) ?? 0) + 1);
  const blobIds = [...perBlob.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  await c.query(
    `UPDATE blobs b SET refcount = b.refcount - d.n
       FROM unnest($1::bigint[], $2::int[]) AS d(id, n) WHERE b.id = d.id`,
    [blobIds, blobIds.map((id) => perBlob.get(id)!)],
  );
  await c.query('DELETE FROM blobs WHERE id = ANY ($1::bigint[]) AND refcount = 0', [blobIds]);
  await notifyFolder(c, folderId, 'expunge', modseq);
  return rows.map((r) => Number(r.uid)).sort((a, b) => a - b);
}

/** Remembers expunged UIDs with the modseq of their removal (IMAP EXPUNGE elsewhere, QRESYNC VANISHED). */
export async function recordExpunged(c: pg.PoolClient, folderId: string, uids: readonly (string | number)[], modseq: number): Promise<void> {
  await c.query(
    `INSERT INTO expunged_messages (folder_id, uid, modseq) SELECT $1, u, $3 FROM unnest($2::bigint[]) AS u
     ON CONFLICT (folder_id, uid) DO UPDATE SET modseq = EXCLUDED.modseq`,
    [folderId, uids, modseq],
  );
}
