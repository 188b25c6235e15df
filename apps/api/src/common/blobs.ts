import type { EntityManager } from '@darwin/db';

/**
 * Gives back one blob reference per row that is about to go (messages of deleted mailboxes,
 * cancelled queue rows), and deletes the blobs nobody references any more: the rule of
 * libs/mail-store's expunge. `refsSql` selects a `blob_id` column, one row per reference. Run it
 * in the transaction that deletes the referring rows, before deleting them (blob rows are deleted
 * here only once nothing points at them).
 */
export async function releaseBlobReferences(m: EntityManager, refsSql: string, params: unknown[]): Promise<{ blobs: number; references: number }> {
  const refs: { blob_id: string; n: number }[] = await m.query(`SELECT blob_id, count(*)::int AS n FROM (${refsSql}) refs GROUP BY blob_id ORDER BY blob_id`, params);
  if (refs.length === 0) return { blobs: 0, references: 0 };
  await m.query(`UPDATE blobs b SET refcount = b.refcount - d.n FROM unnest($1::bigint[], $2::int[]) AS d(id, n) WHERE b.id = d.id`, [
    refs.map((r) => r.blob_id),
    refs.map((r) => r.n),
  ]);
  return { blobs: refs.length, references: refs.reduce((s, r) => s + r.n, 0) };
}

/** Deletes, among `blobIds`, the blobs whose refcount reached zero (after their referrers are gone). */
export async function deleteUnreferencedBlobs(m: EntityManager, blobIds: string[]): Promise<number> {
  if (blobIds.length === 0) return 0;
  const result = await m.query(`DELETE FROM blobs WHERE id = ANY ($1::bigint[]) AND refcount <= 0`, [blobIds]);
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
