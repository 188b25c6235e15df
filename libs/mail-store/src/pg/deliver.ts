import type pg from 'pg';
import { summarizeHeaders, type HeaderSummary } from '../headers.js';
import { envelopeToImap } from '../mime/imap-envelope.js';
import { MimeStructureParser } from '../mime/parser.js';
import type { ParsedMessage } from '../mime/structure.js';
import type { AcceptRequest, AcceptResult, DeliveryOptions, DeliveryOutcome, DeliveryTarget, OutboundRequest, SpooledMessage } from '../types.js';
import { emitEvent, quotaCrossings } from './events.js';
import { deliverOne, fitsOneStatement } from './deliver-one.js';
import { jsonb, pgText } from './text.js';
import { inTransaction, notifyFolder } from './tx.js';

/** Size of one blob_chunks row; large enough that most messages are one row, small enough to stream. */
export { CHUNK_BYTES } from './blob-stream.js';
import { CHUNK_BYTES } from './blob-stream.js';

/** How long the outbound queue keeps trying a recipient before bouncing (Postfix: maximal_queue_lifetime = 5d). */
export const DEFAULT_QUEUE_LIFETIME_MS = 5 * 86_400_000;

/** IMAP names are case-sensitive except INBOX (RFC 3501 5.1). */
export function canonicalFolderName(name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
}

interface Slot {
  readonly target: DeliveryTarget;
  readonly folder: string;
}

interface Stored {
  readonly slot: Slot;
  readonly folderId: string;
  readonly uid: number;
  readonly modseq: number;
  readonly uidvalidity: number;
  readonly tenantId: string;
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

/**
 * Quota charge and UID allocation for one local target. The guarded UPDATE's row lock makes
 * concurrent deliveries to one mailbox queue up and re-check; the folder UPDATE orders UIDs by commit.
 */
async function allocate(c: pg.PoolClient, slot: Slot, size: number): Promise<Stored | DeliveryOutcome> {
  const mailboxId = slot.target.mailboxId;
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
    return { mailboxId, status: exists.rowCount === 0 ? 'no_mailbox' : 'over_quota' };
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
    return { mailboxId, status: 'no_folder' };
  }
  const after = Number(usage.used_bytes);
  for (const percent of quotaCrossings(after - size, after, Number(usage.quota_bytes))) {
    await emitEvent(c, { type: 'quota.crossed', tenantId: usage.tenant_id, mailboxId, percent });
  }
  return { slot, folderId: row.id, uid: Number(row.uid), modseq: Number(row.modseq), uidvalidity: Number(row.uidvalidity), tenantId: usage.tenant_id };
}

/** One blob for every copy: inserted with its chunks the first time, otherwise its refcount grows. */
async function storeBlob(c: pg.PoolClient, message: SpooledMessage, references: number): Promise<string> {
  const blob = await c.query<{ id: string; inserted: boolean }>(
    `INSERT INTO blobs (sha256, size, refcount) VALUES ($1, $2, $3)
     ON CONFLICT (sha256) DO UPDATE SET refcount = blobs.refcount + EXCLUDED.refcount
     RETURNING id, (xmax = 0) AS inserted`,
    [message.sha256, message.size, references],
  );
  const { id, inserted } = blob.rows[0]!;
  if (inserted) {
    let seq = 0;
    for await (const chunk of message.chunks(CHUNK_BYTES)) {
      await c.query('INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [id, seq++, chunk]);
    }
  }
  return id;
}

/**
 * The MIME structure of a spooled message: from the spool when it parsed it, else read once now.
 * Without body text: that is extracted when the folder is first searched by body (body-text.ts).
 */
export async function mimeOf(message: SpooledMessage): Promise<ParsedMessage> {
  if (message.mime) return message.mime;
  const parser = new MimeStructureParser({ maxBodyText: 0 });
  for await (const chunk of message.chunks(CHUNK_BYTES)) parser.push(chunk);
  return parser.end();
}


async function insertMessage(c: pg.PoolClient, s: Stored, blobId: string, size: number, summary: HeaderSummary, mime: ParsedMessage, internalDate: Date): Promise<void> {
  await c.query(
    `INSERT INTO messages (folder_id, mailbox_id, uid, modseq, flags, internal_date, size, blob_id,
                           subject, from_addr, to_addr, message_id, sent_date,
                           envelope, bodystructure, header_text, envelope_imap)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
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
      jsonb(mime.envelope),
      jsonb(mime.structure),
      pgText(mime.headerText),
      pgText(envelopeToImap(mime.envelope)),
    ],
  );
  await notifyFolder(c, s.folderId, 'append', s.modseq);
}

/** Adds one message of `size` bytes to a mailbox's received or sent figures for today (UTC). */
async function countStats(c: pg.PoolClient, mailboxId: string, tenantId: string, column: 'received' | 'sent', size: number): Promise<void> {
  await c.query(
    `INSERT INTO mail_stats_daily (day, mailbox_id, tenant_id, ${column}_messages, ${column}_bytes)
     VALUES ((now() AT TIME ZONE 'UTC')::date, $1, $2, 1, $3)
     ON CONFLICT (day, mailbox_id) DO UPDATE
       SET ${column}_messages = mail_stats_daily.${column}_messages + 1, ${column}_bytes = mail_stats_daily.${column}_bytes + $3`,
    [mailboxId, tenantId, size],
  );
}

async function enqueue(c: pg.PoolClient, out: OutboundRequest, blobId: string): Promise<string[]> {
  const expiresAt = out.expiresAt ?? new Date(Date.now() + DEFAULT_QUEUE_LIFETIME_MS);
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO outbound_queue (tenant_id, mailbox_id, blob_id, mail_from, rcpt_to, rcpt_domain, dsn, expires_at)
     SELECT $1, $2, $3, $4, r.address, lower(split_part(r.address, '@', 2)), r.dsn, $5
       FROM unnest($6::text[], $7::jsonb[]) AS r(address, dsn)
     RETURNING id`,
    [
      out.tenantId,
      out.mailboxId,
      blobId,
      out.mailFrom,
      expiresAt,
      out.recipients.map((r) => r.address),
      out.recipients.map((r) => JSON.stringify({ ...out.dsn, ...r.dsn })),
    ],
  );
  const ids = rows.map((r) => r.id);
  await emitEvent(c, { type: 'queue.changed', tenantId: out.tenantId, queueId: ids[0]!, state: 'queued' });
  return ids;
}

/**
 * Stores a message in one transaction: a copy for each local target whose quota admits it, and a
 * queue row for each outbound recipient, all sharing one blob. Resolves only after COMMIT.
 */
export async function accept(pool: pg.Pool, message: SpooledMessage, req: AcceptRequest, opts: DeliveryOptions = {}): Promise<AcceptResult> {
  if (message.oversize) throw new Error('refusing to store an oversize message');
  const slots = plan(req.targets);
  const summary = summarizeHeaders(message.headerBytes);
  const mime = await mimeOf(message);
  const internalDate = opts.internalDate ?? new Date();
  const size = message.size;
  const groups = (Array.isArray(req.outbound) ? req.outbound : req.outbound ? [req.outbound] : []).filter((o: OutboundRequest) => o.recipients.length > 0);
  const outboundCount = groups.reduce((n: number, o: OutboundRequest) => n + o.recipients.length, 0);

  if (fitsOneStatement(message, slots.length, outboundCount > 0 || opts.countAsSentBy !== undefined)) {
    const slot = slots[0]!;
    const outcome = await deliverOne(pool, message, { ...slot.target, folder: slot.folder }, normaliseFlags(slot.target.flags), {
      summary,
      mime,
      internalDate,
      countAsReceived: opts.countAsReceived === true,
    });
    return { local: req.targets.map(() => outcome), queued: [] };
  }

  const { results, queued } = await inTransaction(pool, async (c) => {
    const results = new Map<Slot, DeliveryOutcome>();
    const stored: Stored[] = [];
    for (const slot of slots) {
      const r = await allocate(c, slot, size);
      if ('slot' in r) stored.push(r);
      else results.set(slot, r);
    }
    const queued: string[] = [];
    const references = stored.length + outboundCount;
    if (references > 0) {
      const blobId = await storeBlob(c, message, references);
      for (const s of stored) {
        await insertMessage(c, s, blobId, size, summary, mime, internalDate);
        if (opts.countAsReceived) await countStats(c, s.slot.target.mailboxId, s.tenantId, 'received', size);
        results.set(s.slot, { mailboxId: s.slot.target.mailboxId, status: 'stored', folderId: s.folderId, uid: s.uid, modseq: s.modseq, uidvalidity: s.uidvalidity, blobId });
      }
      const sentBy = new Map<string, string>();
      if (opts.countAsSentBy) sentBy.set(opts.countAsSentBy.mailboxId, opts.countAsSentBy.tenantId);
      for (const group of groups) {
        queued.push(...(await enqueue(c, group, blobId)));
        if (group.countAsSent && group.mailboxId) sentBy.set(group.mailboxId, group.tenantId);
      }
      // One submission is one sent message for its sender, however many rows and groups it made.
      for (const [mailboxId, tenantId] of sentBy) await countStats(c, mailboxId, tenantId, 'sent', size);
    }
    return { results, queued };
  });

  // One outcome per requested target, in the caller's order (duplicates share their slot's outcome).
  const local = req.targets.map((t) => {
    const folder = canonicalFolderName(t.folder ?? 'INBOX');
    const slot = slots.find((s) => s.target.mailboxId === t.mailboxId && s.folder === folder)!;
    return results.get(slot)!;
  });
  return { local, queued };
}
