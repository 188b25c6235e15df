import pg from 'pg';
import type { MaildropLock } from '../types.js';

/** Advisory-lock namespace for POP3 maildrops ("POP3"); the mailbox id is hashed into the second key. */
const POP3_LOCK_CLASS = 0x504f5033;

/**
 * Takes a session-level advisory lock on a dedicated connection, so it holds across engine
 * processes and disappears with the connection if this process dies (no stale locks to clean).
 */
export async function lockMaildrop(url: string, mailboxId: string): Promise<MaildropLock | undefined> {
  const client = new pg.Client({ connectionString: url, application_name: 'darwin-pop3-lock' });
  client.on('error', () => {}); // a dropped lock connection only ends the lock; the session notices on release
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [POP3_LOCK_CLASS, mailboxId]);
    if (!rows[0]?.ok) {
      await client.end();
      return undefined;
    }
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.end().catch(() => {});
    },
  };
}
