import { createHash } from 'node:crypto';
import { hashPassword } from '@darwin/core';
import { createDefaultFolders, type DataSource } from '@darwin/db';

/**
 * Direct inserts for arranging a test (other tenants' data, extra operators). The behaviour under
 * test always goes through the API.
 */
export async function insertTenant(ds: DataSource, name: string): Promise<string> {
  const [row] = await ds.query(`INSERT INTO tenants (name, plan_id) SELECT $1, id FROM plans WHERE name = 'Default' RETURNING id`, [name]);
  return row.id;
}

export async function insertDomain(ds: DataSource, tenantId: string, name: string): Promise<string> {
  const [row] = await ds.query(`INSERT INTO domains (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenantId, name]);
  return row.id;
}

export async function insertMailbox(ds: DataSource, domainId: string, localPart: string, password: string): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes)
     SELECT d.tenant_id, d.id, $2::text, $2::text || '@' || d.name, $3, 1048576 FROM domains d WHERE d.id = $1 RETURNING id`,
    [domainId, localPart, await hashPassword(password)],
  );
  await createDefaultFolders(ds, row.id);
  return row.id;
}

export async function insertTenantAdmin(ds: DataSource, tenantId: string, email: string, password: string): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO operators (email, password_hash, role, tenant_id) VALUES ($1, $2, 'tenant_admin', $3) RETURNING id`,
    [email, await hashPassword(password), tenantId],
  );
  return row.id;
}

/**
 * A stored message in the mailbox's INBOX, its blob shared by content (refcount counted) as the
 * mail store does: for checks that deletions give blob references back.
 */
export async function insertMessage(ds: DataSource, mailboxId: string, content: string): Promise<{ blobId: string }> {
  const bytes = Buffer.from(content);
  return ds.transaction(async (m) => {
    const blobId = await referenceBlob(m, bytes);
    // TypeORM answers [rows, count] for an UPDATE.
    const [[folder]] = await m.query(
      `UPDATE folders SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE mailbox_id = $1 AND name = 'INBOX'
       RETURNING id, uidnext - 1 AS uid, highest_modseq AS modseq`,
      [mailboxId],
    );
    await m.query(`INSERT INTO messages (folder_id, mailbox_id, uid, modseq, internal_date, size, blob_id) VALUES ($1, $2, $3, $4, now(), $5, $6)`, [
      folder.id,
      mailboxId,
      folder.uid,
      folder.modseq,
      bytes.length,
      blobId,
    ]);
    await m.query(`UPDATE mailboxes SET used_bytes = used_bytes + $2, used_messages = used_messages + 1 WHERE id = $1`, [mailboxId, bytes.length]);
    return { blobId };
  });
}

/** An outbound queue row holding one reference on a blob of `content` (as the engine queues it). */
export async function insertQueued(
  ds: DataSource,
  mailboxId: string,
  rcptTo: string,
  content: string,
  state: 'queued' | 'deferred' | 'sending' = 'queued',
): Promise<{ id: string; blobId: string }> {
  const bytes = Buffer.from(content);
  return ds.transaction(async (m) => {
    const blobId = await referenceBlob(m, bytes);
    const [row] = await m.query(
      `INSERT INTO outbound_queue (tenant_id, mailbox_id, blob_id, mail_from, rcpt_to, rcpt_domain, state, next_attempt_at, expires_at)
       SELECT mb.tenant_id, mb.id, $2, mb.address, $3::text, split_part($3::text, '@', 2), $4, now() + interval '1 hour', now() + interval '5 days'
         FROM mailboxes mb WHERE mb.id = $1 RETURNING id`,
      [mailboxId, blobId, rcptTo, state],
    );
    return { id: String(row.id), blobId };
  });
}

/**
 * One more reference on the blob holding `bytes`, stored (in one chunk) when no blob has that
 * content yet: blobs are shared by content, as the mail store does.
 */
async function referenceBlob(m: Pick<DataSource, 'query'>, bytes: Buffer): Promise<string> {
  const sha = createHash('sha256').update(bytes).digest();
  const [blob] = await m.query(
    `INSERT INTO blobs (sha256, size, refcount) VALUES ($1, $2, 1)
     ON CONFLICT (sha256) DO UPDATE SET refcount = blobs.refcount + 1 RETURNING id, (xmax = 0) AS inserted`,
    [sha, bytes.length],
  );
  if (blob.inserted) await m.query(`INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, 0, $2)`, [blob.id, bytes]);
  return String(blob.id);
}
