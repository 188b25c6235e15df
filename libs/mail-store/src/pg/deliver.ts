import type pg from 'pg';
import { summarizeHeaders } from '../headers.js';
import type { DeliveryOptions, DeliveryOutcome, DeliveryTarget, SpooledMessage } from '../types.js';
import { emitEvent, quotaCrossings } from './events.js';
import { inTransaction, notifyFolder } from './tx.js';

/** Size of one blob_chunks row; large enough that most messages are one row, small enough to stream. */
export const CHUNK_BYTES = 256 * 1024;

/** IMAP names are case-sensitive except INBOX (RFC 3501 5.1). */
export function canonicalFolderName(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

interface Slot {
  readonly target: DeliveryTarget;
  readonly folder: string;
}

/** Sorted and de-duplicated, so concurrent multi-recipient deliveries lock rows in one order (no deadlocks). */
function plan(targets: readonly DeliveryTarget[]): Slot[] {
  const seen = new Map<string, Slot>();
  for (const t of targets) {
    const folder = canonicalFolderName(t.folder ?? 'INBOX');
    const key = `${t.mailboxId}\0${folder}`;
    if (!seen.has(key)) seen.set(key, { target: t, folder });
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

function normaliseFlags(flags: readonly string[] | undefined): string[] {
  return [...new Set((flags ?? []).filter((f) => f.toLowerCase() !== '\\recent'))].sort();
}

export async function deliver(
  pool: pg.Pool,
  message: SpooledMessage,
  targets: readonly DeliveryTarget[],
  opts: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
  if (message.oversize) throw new Error('refusing to store an oversize message');
  const slots = plan(targets);
  const summary = summarizeHeaders(message.headerBytes);
  const internalDate = opts.internalDate ?? new Date();
  const size = message.size;

  const outcomes = await inTransaction(pool, async (c) => {
    const results = new Map<Slot, DeliveryOutcome>();
    const stored: { slot: Slot; folderId: string; uid: number; modseq: number; uidvalidity: number; tenantId: string }[] = [];

    for (const slot of slots) {
      const mailboxId = slot.target.mailboxId;
      // Guarded quota charge: the row lock and the WHERE make concurrent deliveries queue up and re-check.
      const charged = await c.query<{ tenant_id: string; used_bytes: string; quota_bytes: string }>(
        `UPDATE mailboxes SET used_bytes = used_bytes + $2, used_messages = used_messages + 1
          WHERE id = $1 AND used_bytes + $2 <= quota_bytes
            AND (quota_messages IS NULL OR used_messages + 1 <= quota_messages)
          RETURNING tenant_id, used_bytes, quota_bytes`,
        [mailboxId, size],
      );
      const usage = charged.rows[0];
      if (!usage) {
        const exists = await c.query('SELECT 1 FROM mailboxes WHERE id = $1', [mailboxId]);
        results.set(slot, { mailboxId, status: exists.rowCount === 0 ? 'no_mailbox' : 'over_quota' });
        continue;
      }
      const f = await c.query<{ id: string; uid: string; modseq: string; uidvalidity: string }>(
        `UPDATE folders SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1
          WHERE mailbox_id = $1 AND name = $2
          RETURNING id, uidnext - 1 AS uid, highest_modseq AS modseq, uidvalidity`,
        [mailboxId, slot.folder],
      );
      const row = f.rows[0];
      if (!row) {
        await c.query('UPDATE mailboxes SET used_bytes = used_bytes - $2, used_messages = used_messages - 1 WHERE id = $1', [mailboxId, size]);
        results.set(slot, { mailboxId, status: 'no_folder' });
        continue;
      }
      stored.push({ slot, folderId: row.id, uid: Number(row.uid), modseq: Number(row.modseq), uidvalidity: Number(row.uidvalidity), tenantId: usage.tenant_id });
      const after = Number(usage.used_bytes);
      for (const percent of quotaCrossings(after - size, after, Number(usage.quota_bytes))) {
        await emitEvent(c, { type: 'quota.crossed', tenantId: usage.tenant_id, mailboxId, percent });
      }
    }

    if (stored.length > 0) {
      const blob = await c.query<{ id: string; inserted: boolean }>(
        `INSERT INTO blobs (sha256, size, refcount) VALUES ($1, $2, $3)
         ON CONFLICT (sha256) DO UPDATE SET refcount = blobs.refcount + EXCLUDED.refcount
         RETURNING id, (xmax = 0) AS inserted`,
        [message.sha256, size, stored.length],
      );
      const blobId = blob.rows[0]!.id;
      if (blob.rows[0]!.inserted) {
        let seq = 0;
        for await (const chunk of message.chunks(CHUNK_BYTES)) {
          await c.query('INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [blobId, seq++, chunk]);
        }
      }
      for (const s of stored) {
        await c.query(
          `INSERT INTO messages (folder_id, mailbox_id, uid, modseq, flags, internal_date, size, blob_id,
                                 subject, from_addr, to_addr, message_id, sent_date, search_vector)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                   to_tsvector('simple', concat_ws(' ', $9::text, $10::text, $11::text)))`,
          [
            s.folderId,
            s.slot.target.mailboxId,
            s.uid,
            s.modseq,
            normaliseFlags(s.slot.target.flags),
            internalDate,
            size,
            blobId,
            summary.subject,
            summary.from,
            summary.to,
            summary.messageId,
            summary.date,
          ],
        );
        await notifyFolder(c, s.folderId, 'append', s.modseq);
        if (opts.countAsReceived) {
          await c.query(
            `INSERT INTO mail_stats_daily (day, mailbox_id, tenant_id, received_messages, received_bytes)
             VALUES ((now() AT TIME ZONE 'UTC')::date, $1, $2, 1, $3)
             ON CONFLICT (day, mailbox_id) DO UPDATE
               SET received_messages = mail_stats_daily.received_messages + 1, received_bytes = mail_stats_daily.received_bytes + $3`,
            [s.slot.target.mailboxId, s.tenantId, size],
          );
        }
        results.set(s.slot, { mailboxId: s.slot.target.mailboxId, status: 'stored', folderId: s.folderId, uid: s.uid, modseq: s.modseq, uidvalidity: s.uidvalidity });
      }
    }
    return results;
  });

  // One outcome per requested target, in the caller's order (duplicates share their slot's outcome).
  return targets.map((t) => {
    const folder = canonicalFolderName(t.folder ?? 'INBOX');
    const slot = slots.find((s) => s.target.mailboxId === t.mailboxId && s.folder === folder)!;
    return outcomes.get(slot)!;
  });
}
