import type pg from 'pg';

/** Runs `fn` in a transaction on one pooled client; COMMIT before resolving, ROLLBACK on any error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** NOTIFY is queued by the transaction and sent only when it commits, so listeners never see uncommitted state. */
export const NOTIFY_CHANNEL = 'darwin_folder';

export async function notifyFolder(c: pg.PoolClient, folderId: string, kind: string, modseq: number): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, `${folderId}:${kind}:${modseq}`]);
}
