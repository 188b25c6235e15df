/**
 * Folder management for IMAP CREATE, DELETE, RENAME and SUBSCRIBE. Every change locks the mailbox
 * row first (the store's lock order), so the per-mailbox folder limit holds under concurrency.
 */
import type pg from 'pg';
import type { CreateFolderResult, RenameFolderResult } from '../types.js';
import { canonicalFolderName } from './deliver.js';
import { expungeIn, NoChange, recordExpunged } from './messages.js';
import { FOLDER_COLUMNS, toFolder, type FolderRow } from './rows.js';
import { inTransaction, notifyFolder } from './tx.js';

async function lockMailbox(c: pg.PoolClient, mailboxId: string): Promise<number | undefined> {
  const { rows } = await c.query<{ n: string }>(
    'SELECT (SELECT count(*) FROM folders f WHERE f.mailbox_id = m.id) AS n FROM mailboxes m WHERE m.id = $1 FOR UPDATE',
    [mailboxId],
  );
  return rows[0] ? Number(rows[0].n) : undefined;
}

export async function createFolder(pool: pg.Pool, mailboxId: string, name: string, opts: { specialUse?: string | null; subscribed?: boolean; maxFolders: number }): Promise<CreateFolderResult> {
  return inTransaction(pool, async (c) => {
    const count = await lockMailbox(c, mailboxId);
    if (count === undefined) throw new Error(`mailbox ${mailboxId} does not exist`);
    const exists = await c.query('SELECT 1 FROM folders WHERE mailbox_id = $1 AND name = $2', [mailboxId, canonicalFolderName(name)]);
    if (exists.rowCount) return { status: 'exists' } as const;
    if (count >= opts.maxFolders) return { status: 'too_many' } as const;
    const { rows } = await c.query<FolderRow>(
      `INSERT INTO folders (mailbox_id, name, special_use, subscribed, uidvalidity) VALUES ($1, $2, $3, $4, nextval('folder_uidvalidity_seq'))
       RETURNING ${FOLDER_COLUMNS}`,
      [mailboxId, canonicalFolderName(name), opts.specialUse ?? null, opts.subscribed ?? true],
    );
    return { status: 'created', folder: toFolder(rows[0]!) } as const;
  });
}

export async function deleteFolder(pool: pg.Pool, folderId: string): Promise<boolean> {
  return inTransaction(pool, async (c) => {
    // expungeIn locks mailbox then folder and frees quota and blobs.
    await expungeIn(c, folderId, { onlyDeleted: false }).catch((err: unknown) => {
      if (!(err instanceof NoChange)) throw err;
    });
    const { rowCount } = await c.query('DELETE FROM folders WHERE id = $1', [folderId]);
    if (rowCount) await notifyFolder(c, folderId, 'folder', 0);
    return (rowCount ?? 0) > 0;
  });
}

export async function renameFolder(pool: pg.Pool, mailboxId: string, fromName: string, toName: string, opts: { maxFolders: number }): Promise<RenameFolderResult> {
  const from = canonicalFolderName(fromName);
  const to = canonicalFolderName(toName);
  return inTransaction(pool, async (c) => {
    const count = await lockMailbox(c, mailboxId);
    if (count === undefined) throw new Error(`mailbox ${mailboxId} does not exist`);
    const src = await c.query<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE mailbox_id = $1 AND name = $2 FOR UPDATE`, [mailboxId, from]);
    const folder = src.rows[0];
    if (!folder) return { status: 'nonexistent' } as const;
    const clash = await c.query(`SELECT 1 FROM folders WHERE mailbox_id = $1 AND (name = $2 OR name LIKE $3 ESCAPE '\\')`, [mailboxId, to, `${likeEscape(to)}/%`]);
    if (clash.rowCount) return { status: 'exists' } as const;
    if (from !== 'INBOX') {
      await c.query(
        `UPDATE folders SET name = $3 || substr(name, length($2) + 1)
          WHERE mailbox_id = $1 AND (name = $2 OR name LIKE $4 ESCAPE '\\')`,
        [mailboxId, from, to, `${likeEscape(from)}/%`],
      );
      return { status: 'renamed' } as const;
    }
    // RFC 3501 6.3.5: renaming INBOX moves its messages to a new folder; INBOX stays, empty, and
    // its children keep their names.
    if (count >= opts.maxFolders) return { status: 'too_many' } as const;
    const created = await c.query<{ id: string }>(
      `INSERT INTO folders (mailbox_id, name, uidvalidity) VALUES ($1, $2, nextval('folder_uidvalidity_seq')) RETURNING id`,
      [mailboxId, to],
    );
    const newId = created.rows[0]!.id;
    const moved = await c.query<{ old_uid: string }>(
      `UPDATE messages m SET folder_id = $2, uid = x.new_uid, modseq = 1
         FROM (SELECT id, uid AS old_uid, row_number() OVER (ORDER BY uid) AS new_uid FROM messages WHERE folder_id = $1) x
        WHERE m.id = x.id RETURNING x.old_uid`,
      [folder.id, newId],
    );
    const n = moved.rows.length;
    await c.query('UPDATE folders SET uidnext = $2 + 1, highest_modseq = 1 WHERE id = $1', [newId, n]);
    if (n > 0) {
      const modseq = Number(
        (await c.query<{ modseq: string }>('UPDATE folders SET highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING highest_modseq AS modseq', [folder.id])).rows[0]!
          .modseq,
      );
      await recordExpunged(c, folder.id, moved.rows.map((r) => r.old_uid), modseq);
      await notifyFolder(c, folder.id, 'expunge', modseq);
    }
    return { status: 'renamed' } as const;
  });
}

export async function setSubscribed(pool: pg.Pool, folderId: string, subscribed: boolean): Promise<void> {
  await pool.query('UPDATE folders SET subscribed = $2 WHERE id = $1', [folderId, subscribed]);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
