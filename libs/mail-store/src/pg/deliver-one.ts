import type pg from 'pg';
import type { HeaderSummary } from '../headers.js';
import { envelopeToImap } from '../mime/imap-envelope.js';
import type { ParsedMessage } from '../mime/structure.js';
import type { DeliveryOutcome, DeliveryTarget, SpooledMessage } from '../types.js';
import { CHUNK_BYTES } from './blob-stream.js';
import { EVENTS_CHANNEL } from './events.js';
import { jsonb, pgText } from './text.js';
import { NOTIFY_CHANNEL } from './tx.js';

/**
 * The common case in one statement, hence one round trip and an implicit transaction: one
 * target, a message that fits one chunk, no outbound rows (an SMTP delivery to one mailbox, an
 * IMAP APPEND). It does what the general path in deliver.ts does, in the same lock order
 * (mailbox row, then folder row, then blob): the folder UPDATE's condition reads the mailbox
 * CTE, so the mailbox row is locked first. Measured on this machine: 9 round trips became 1.
 */
const DELIVER_ONE = `
WITH m AS (
  UPDATE mailboxes SET used_bytes = used_bytes + $2, used_messages = used_messages + 1
   WHERE id = $1 AND used_bytes + $2 <= quota_bytes
     AND (quota_messages IS NULL OR used_messages + 1 <= quota_messages)
     AND EXISTS (SELECT 1 FROM folders WHERE mailbox_id = $1 AND name = $3)
  RETURNING tenant_id, used_bytes, quota_bytes),
f AS (
  UPDATE folders SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1
   WHERE mailbox_id = $1 AND name = $3 AND EXISTS (SELECT 1 FROM m)
  RETURNING id, uidnext - 1 AS uid, highest_modseq AS modseq, uidvalidity),
b AS (
  INSERT INTO blobs (sha256, size, refcount) SELECT $4, $2, 1 FROM f
  ON CONFLICT (sha256) DO UPDATE SET refcount = blobs.refcount + 1
  RETURNING id, (xmax = 0) AS inserted),
c AS (INSERT INTO blob_chunks (blob_id, seq, data) SELECT b.id, 0, $5 FROM b WHERE b.inserted AND octet_length($5::bytea) > 0),
msg AS (
  INSERT INTO messages (folder_id, mailbox_id, uid, modseq, flags, internal_date, size, blob_id,
                        subject, from_addr, to_addr, message_id, sent_date,
                        envelope, bodystructure, header_text, envelope_imap)
  SELECT f.id, $1, f.uid, f.modseq, $6, $7, $2, b.id, $8, $9, $10, $11, $12, $13, $14, $15, $16
    FROM f, b),
st AS (
  INSERT INTO mail_stats_daily (day, mailbox_id, tenant_id, received_messages, received_bytes)
  SELECT (now() AT TIME ZONE 'UTC')::date, $1, m.tenant_id, 1, $2 FROM m WHERE $17
  ON CONFLICT (day, mailbox_id) DO UPDATE
    SET received_messages = mail_stats_daily.received_messages + 1, received_bytes = mail_stats_daily.received_bytes + $2),
n AS (SELECT pg_notify('${NOTIFY_CHANNEL}', f.id || ':append:' || f.modseq) FROM f),
q AS (
  SELECT pg_notify('${EVENTS_CHANNEL}', json_build_object('type', 'quota.crossed', 'tenantId', m.tenant_id, 'mailboxId', $1::uuid, 'percent', t)::text)
    FROM m, unnest(ARRAY[80, 90, 100]) AS t
   WHERE m.quota_bytes > 0 AND (m.used_bytes - $2) * 100 < t * m.quota_bytes AND m.used_bytes * 100 >= t * m.quota_bytes)
SELECT f.id AS folder_id, f.uid, f.modseq, f.uidvalidity, b.id AS blob_id, (SELECT count(*) FROM n) + (SELECT count(*) FROM q) AS notified
  FROM (SELECT 1) AS one LEFT JOIN f ON true LEFT JOIN b ON true`;

export function fitsOneStatement(message: SpooledMessage, targets: number, outbound: boolean): boolean {
  return targets === 1 && !outbound && message.size <= CHUNK_BYTES;
}

export async function deliverOne(
  pool: pg.Pool,
  message: SpooledMessage,
  target: DeliveryTarget & { folder: string },
  flags: string[],
  content: { summary: HeaderSummary; mime: ParsedMessage; internalDate: Date; countAsReceived: boolean },
): Promise<DeliveryOutcome> {
  const chunks: Buffer[] = [];
  for await (const chunk of message.chunks(CHUNK_BYTES)) chunks.push(chunk);
  const { summary, mime } = content;
  const { rows } = await pool.query<{ folder_id: string | null; uid: string; modseq: string; uidvalidity: string; blob_id: string }>({
    name: 'darwin-deliver-one',
    text: DELIVER_ONE,
    values: [
      target.mailboxId,
      message.size,
      target.folder,
      message.sha256,
      chunks[0] ?? Buffer.alloc(0),
      flags,
      content.internalDate,
      summary.subject,
      summary.from,
      summary.to,
      summary.messageId,
      summary.date,
      jsonb(mime.envelope),
      jsonb(mime.structure),
      pgText(mime.headerText),
      pgText(envelopeToImap(mime.envelope)),
      content.countAsReceived,
    ],
  });
  const r = rows[0];
  if (r?.folder_id) {
    return { mailboxId: target.mailboxId, status: 'stored', folderId: r.folder_id, uid: Number(r.uid), modseq: Number(r.modseq), uidvalidity: Number(r.uidvalidity), blobId: String(r.blob_id) };
  }
  // Nothing was written: say why (rare, so a second query here costs nothing on the hot path).
  const { rows: why } = await pool.query<{ mailbox: boolean; folder: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM mailboxes WHERE id = $1) AS mailbox, EXISTS (SELECT 1 FROM folders WHERE mailbox_id = $1 AND name = $2) AS folder',
    [target.mailboxId, target.folder],
  );
  const status = !why[0]?.mailbox ? 'no_mailbox' : !why[0].folder ? 'no_folder' : 'over_quota';
  return { mailboxId: target.mailboxId, status };
}
