/**
 * COPY and MOVE between folders of one mailbox. Both lock the mailbox row first (the lock order of
 * deliver and expunge), allocate a block of UIDs in the target under its row lock, and keep the
 * blobs: a copy adds references (and quota), a move re-points the rows (quota unchanged) and
 * records the source UIDs as expunged, in one transaction.
 */
import type pg from 'pg';
import type { CopyResult } from '../types.js';
import { emitEvent, quotaCrossings } from './events.js';
import { NoChange, recordExpunged } from './messages.js';
import { inTransaction, notifyFolder } from './tx.js';

interface Target {
  readonly mailboxId: string;
  readonly tenantId: string;
}

/** Locks the mailbox owning both folders; undefined when they are not folders of one mailbox. */
async function lockMailbox(c: pg.PoolClient, fromFolderId: string, toFolderId: string): Promise<Target | undefined> {
  const { rows } = await c.query<{ id: string; tenant_id: string; n: string }>(
    `SELECT m.id, m.tenant_id, (SELECT count(*) FROM folders f WHERE f.mailbox_id = m.id AND f.id IN ($1, $2)) AS n
       FROM mailboxes m JOIN folders f ON f.mailbox_id = m.id WHERE f.id = $1 FOR UPDATE OF m`,
    [fromFolderId, toFolderId],
  );
  const r = rows[0];
  if (!r || Number(r.n) !== (fromFolderId === toFolderId ? 1 : 2)) return undefined;
  return { mailboxId: r.id, tenantId: r.tenant_id };
}

async function allocate(c: pg.PoolClient, folderId: string, n: number): Promise<{ first: number; modseq: number; uidvalidity: number }> {
  const { rows } = await c.query<{ first: string; modseq: string; uidvalidity: string }>(
    `UPDATE folders SET uidnext = uidnext + $2, highest_modseq = highest_modseq + 1 WHERE id = $1
     RETURNING uidnext - $2 AS first, highest_modseq AS modseq, uidvalidity`,
    [folderId, n],
  );
  const r = rows[0]!;
  return { first: Number(r.first), modseq: Number(r.modseq), uidvalidity: Number(r.uidvalidity) };
}

async function uidvalidityOf(c: pg.PoolClient, folderId: string): Promise<number> {
  const { rows } = await c.query<{ uidvalidity: string }>('SELECT uidvalidity FROM folders WHERE id = $1', [folderId]);
  return Number(rows[0]?.uidvalidity ?? 0);
}

export async function copyMessages(pool: pg.Pool, fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult> {
  return inTransaction(pool, async (c) => {
    const owner = await lockMailbox(c, fromFolderId, toFolderId);
    if (!owner) return { status: 'no_folder' } as const;
    const src = await c.query<{ uid: string; size: string }>('SELECT uid, size FROM messages WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) ORDER BY uid', [
      fromFolderId,
      uids,
    ]);
    if (src.rows.length === 0) return { status: 'done', uidvalidity: await uidvalidityOf(c, toFolderId), pairs: [] } as const;
    const n = src.rows.length;
    const bytes = src.rows.reduce((t, r) => t + Number(r.size), 0);
    const charged = await c.query<{ used_bytes: string; quota_bytes: string }>(
      `UPDATE mailboxes SET used_bytes = used_bytes + $2, used_messages = used_messages + $3
        WHERE id = $1 AND used_bytes + $2 <= quota_bytes AND (quota_messages IS NULL OR used_messages + $3 <= quota_messages)
        RETURNING used_bytes, quota_bytes`,
      [owner.mailboxId, bytes, n],
    );
    const usage = charged.rows[0];
    if (!usage) return { status: 'over_quota' } as const;
    const after = Number(usage.used_bytes);
    for (const percent of quotaCrossings(after - bytes, after, Number(usage.quota_bytes))) {
      await emitEvent(c, { type: 'quota.crossed', tenantId: owner.tenantId, mailboxId: owner.mailboxId, percent });
    }
    const dst = await allocate(c, toFolderId, n);
    const { rows } = await c.query<{ dst: string }>(
      `WITH src AS (
         SELECT m.*, $4::bigint + row_number() OVER (ORDER BY m.uid) - 1 AS new_uid
           FROM messages m WHERE m.folder_id = $1 AND m.uid = ANY ($2::bigint[]))
       INSERT INTO messages (folder_id, mailbox_id, uid, modseq, flags, internal_date, size, blob_id, envelope, bodystructure,
                             subject, from_addr, to_addr, message_id, sent_date, header_text, body_text, search_indexed, envelope_imap)
       SELECT $3, mailbox_id, new_uid, $5, flags, internal_date, size, blob_id, envelope, bodystructure,
              subject, from_addr, to_addr, message_id, sent_date, header_text, body_text, search_indexed, envelope_imap FROM src
       RETURNING uid AS dst`,
      [fromFolderId, uids, toFolderId, dst.first, dst.modseq],
    );
    await c.query(
      `UPDATE blobs b SET refcount = b.refcount + d.n
         FROM (SELECT blob_id, count(*) AS n FROM messages WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) GROUP BY blob_id ORDER BY blob_id) d
        WHERE b.id = d.blob_id`,
      [fromFolderId, uids],
    );
    await notifyFolder(c, toFolderId, 'append', dst.modseq);
    // Source UIDs in order map one to one onto the new block.
    const srcUids = src.rows.map((r) => Number(r.uid));
    const pairs = rows
      .map((r) => Number(r.dst))
      .sort((a, b) => a - b)
      .map((d) => [srcUids[d - dst.first]!, d] as const);
    return { status: 'done', uidvalidity: dst.uidvalidity, pairs } as const;
  });
}

export async function moveMessages(pool: pg.Pool, fromFolderId: string, uids: readonly number[], toFolderId: string): Promise<CopyResult> {
  return inTransaction(pool, async (c) => {
    const owner = await lockMailbox(c, fromFolderId, toFolderId);
    if (!owner) return { status: 'no_folder' } as const;
    // Folder rows (in id order, so two opposite moves cannot deadlock), then messages: the order of updateFlags.
    await c.query('SELECT id FROM folders WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [fromFolderId, toFolderId]);
    const src = await c.query<{ uid: string }>('SELECT uid FROM messages WHERE folder_id = $1 AND uid = ANY ($2::bigint[]) ORDER BY uid FOR UPDATE', [fromFolderId, uids]);
    if (src.rows.length === 0) return { status: 'done', uidvalidity: await uidvalidityOf(c, toFolderId), pairs: [] } as const;
    const srcUids = src.rows.map((r) => Number(r.uid));
    const srcModseq = Number(
      (await c.query<{ modseq: string }>('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq AS modseq', [fromFolderId])).rows[0]!
        .modseq,
    );
    const dst = await allocate(c, toFolderId, srcUids.length);
    await c.query(
      `UPDATE messages m SET folder_id = $3, uid = x.new_uid, modseq = $5
         FROM (SELECT id, $4::bigint + row_number() OVER (ORDER BY uid) - 1 AS new_uid
                 FROM messages WHERE folder_id = $1 AND uid = ANY ($2::bigint[])) x
        WHERE m.id = x.id`,
      [fromFolderId, srcUids, toFolderId, dst.first, dst.modseq],
    );
    await recordExpunged(c, fromFolderId, srcUids, srcModseq);
    await notifyFolder(c, fromFolderId, 'expunge', srcModseq);
    await notifyFolder(c, toFolderId, 'append', dst.modseq);
    return { status: 'done', uidvalidity: dst.uidvalidity, pairs: srcUids.map((u, i) => [u, dst.first + i] as const) } as const;
  }).catch((err: unknown) => {
    if (err instanceof NoChange) return { status: 'done', uidvalidity: 0, pairs: [] } as const;
    throw err;
  });
}
