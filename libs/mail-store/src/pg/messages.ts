import type pg from 'pg';
import type { ExpungeOptions, FlagMode, FlagUpdate, FolderStatus, MessageSummary, UidRange } from '../types.js';
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from './rows.js';
import { inTransaction, notifyFolder } from './tx.js';

const UID_MAX = 4294967295;

export async function listMessages(pool: pg.Pool, folderId: string, range: UidRange = {}): Promise<MessageSummary[]> {
  const { rows } = await pool.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN blobs b ON b.id = m.blob_id
      WHERE m.folder_id = $1 AND m.uid BETWEEN $2 AND $3 ORDER BY m.uid`,
    [folderId, range.from ?? 1, range.to ?? UID_MAX],
  );
  return rows.map(toMessage);
}

export async function listChangedSince(pool: pg.Pool, folderId: string, sinceModseq: number): Promise<MessageSummary[]> {
  const { rows } = await pool.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN blobs b ON b.id = m.blob_id
      WHERE m.folder_id = $1 AND m.modseq > $2 ORDER BY m.uid`,
    [folderId, sinceModseq],
  );
  return rows.map(toMessage);
}

export async function folderStatus(pool: pg.Pool, folderId: string): Promise<FolderStatus> {
  const { rows } = await pool.query<{ messages: string; unseen: string; size: string | null; uidnext: string; uidvalidity: string; highest_modseq: string }>(
    `SELECT f.uidnext, f.uidvalidity, f.highest_modseq,
            (SELECT count(*) FROM messages m WHERE m.folder_id = f.id) AS messages,
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
  };
}

const FLAG_SQL: Record<FlagMode, { value: string; changed: string }> = {
  set: { value: '$3::text[]', changed: 'NOT (flags @> $3::text[] AND flags <@ $3::text[])' },
  add: { value: 'ARRAY(SELECT DISTINCT unnest(flags || $3::text[]) ORDER BY 1)', changed: 'NOT (flags @> $3::text[])' },
  remove: { value: 'ARRAY(SELECT f FROM unnest(flags) AS f WHERE f <> ALL ($3::text[]) ORDER BY 1)', changed: 'flags && $3::text[]' },
};

export async function updateFlags(pool: pg.Pool, folderId: string, uids: readonly number[], mode: FlagMode, flags: readonly string[]): Promise<FlagUpdate[]> {
  if (uids.length === 0) return [];
  const wanted = [...new Set(flags.filter((f) => f.toLowerCase() !== '\\recent'))].sort();
  const sql = FLAG_SQL[mode];
  return inTransaction(pool, async (c) => {
    // One new modseq for the whole command, taken under the folder's row lock (RFC 7162 3.1.3).
    const f = await c.query<{ modseq: string }>('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq AS modseq', [folderId]);
    if (f.rowCount === 0) return [];
    const modseq = Number(f.rows[0]!.modseq);
    const { rows } = await c.query<{ uid: string; flags: string[] }>(
      `UPDATE messages SET flags = ${sql.value}, modseq = $4
        WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) AND ${sql.changed}
        RETURNING uid, flags`,
      [folderId, uids, wanted, modseq],
    );
    if (rows.length === 0) {
      // Nothing changed: give the modseq back by rolling back the bump.
      throw new NoChange();
    }
    await notifyFolder(c, folderId, 'flags', modseq);
    return rows.map((r) => ({ uid: Number(r.uid), flags: r.flags, modseq })).sort((a, b) => a.uid - b.uid);
  }).catch((err: unknown) => {
    if (err instanceof NoChange) return [];
    throw err;
  });
}

class NoChange extends Error {}

export async function expunge(pool: pg.Pool, folderId: string, opts: ExpungeOptions): Promise<number[]> {
  return inTransaction(pool, async (c) => {
    // Lock order shared with deliver(): mailbox row, then folder row, then messages, then blobs.
    const owner = await c.query<{ mailbox_id: string }>(
      'SELECT m.id AS mailbox_id FROM mailboxes m JOIN folders f ON f.mailbox_id = m.id WHERE f.id = $1 FOR UPDATE OF m',
      [folderId],
    );
    const mailboxId = owner.rows[0]?.mailbox_id;
    if (!mailboxId) return [];
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
  }).catch((err: unknown) => {
    if (err instanceof NoChange) return [];
    throw err;
  });
}
