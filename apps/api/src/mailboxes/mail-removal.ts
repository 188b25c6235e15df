import type { EntityManager } from '@darwin/db';
import { deleteUnreferencedBlobs, releaseBlobReferences } from '../common/blobs.js';

export interface RemovedMail {
  readonly mailboxes: number;
  readonly messages: number;
  readonly bytes: number;
}

/**
 * Deletes mailboxes with everything stored in them (folders and messages by cascade), giving back
 * their blob references and deleting blobs nobody else holds, in the caller's transaction.
 * `where` is a condition on the mailboxes table (alias `m`) with its parameters.
 *
 * Outbound mail these mailboxes already sent and that is still queued is not touched: the queue row
 * loses its mailbox (ON DELETE SET NULL) and is still delivered.
 */
export async function deleteMailboxesWithMail(m: EntityManager, where: string, params: unknown[]): Promise<RemovedMail> {
  const [figures] = await m.query(
    `SELECT count(*)::int AS mailboxes, coalesce(sum(m.used_messages), 0)::bigint AS messages, coalesce(sum(m.used_bytes), 0)::bigint AS bytes
       FROM mailboxes m WHERE ${where}`,
    params,
  );
  const blobIds: { blob_id: string }[] = await m.query(
    `SELECT DISTINCT msg.blob_id FROM messages msg JOIN mailboxes m ON m.id = msg.mailbox_id WHERE ${where}`,
    params,
  );
  await releaseBlobReferences(m, `SELECT msg.blob_id FROM messages msg JOIN mailboxes m ON m.id = msg.mailbox_id WHERE ${where}`, params);
  await m.query(`DELETE FROM mailboxes m WHERE ${where}`, params);
  await deleteUnreferencedBlobs(m, blobIds.map((b) => b.blob_id));
  return { mailboxes: figures.mailboxes, messages: Number(figures.messages), bytes: Number(figures.bytes) };
}

/**
 * Cancels a tenant's outbound mail that has not gone out (before the tenant's rows disappear by
 * cascade), giving back the blob references. Answers how many messages were cancelled.
 */
export async function cancelPendingOutbound(m: EntityManager, tenantId: string): Promise<number> {
  // Rows that still hold a blob reference are the ones not yet final (a final row has blob_id NULL).
  const refs = `SELECT blob_id FROM outbound_queue WHERE tenant_id = $1 AND blob_id IS NOT NULL`;
  const blobIds: { blob_id: string }[] = await m.query(`SELECT DISTINCT blob_id FROM (${refs}) r`, [tenantId]);
  const { references } = await releaseBlobReferences(m, refs, [tenantId]);
  await m.query(`DELETE FROM outbound_queue WHERE tenant_id = $1`, [tenantId]);
  await deleteUnreferencedBlobs(m, blobIds.map((b) => b.blob_id));
  return references;
}
