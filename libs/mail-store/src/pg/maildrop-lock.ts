import pg from 'pg';
import type { MaildropLock } from '../types.js';

/** Advisory-lock namespace for POP3 maildrops ("POP3"); the mailbox id is hashed into the second key. */
const POP3_LOCK_CLASS = 0x504f5033;

/**
 * POP3 maildrop locks: session-level advisory locks, so they hold across engine processes and
 * vanish with the connection if the process dies (no stale locks to clean). A lock occupies its
 * connection for the whole POP3 session, so the connections come from a pool of their own: taking
 * a pooled one costs a fraction of a millisecond where opening one (TLS/SCRAM, a new backend)
 * cost 7-29 ms per login. When the pool is exhausted, a dedicated connection is opened instead of
 * making the login wait for another session to end.
 */
export class MaildropLocks {
  private readonly pool: pg.Pool;

  constructor(
    private readonly url: string,
    max: number,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max, application_name: 'darwin-pop3-lock', idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => {}); // an idle lock connection that breaks holds no lock any more
  }

  async lock(mailboxId: string): Promise<MaildropLock | undefined> {
    const pooled = this.pool.idleCount > 0 || this.pool.totalCount < (this.pool.options.max ?? 10);
    const client = pooled ? await this.pool.connect() : await this.dedicated();
    const done = (err?: Error) => (pooled ? (client as pg.PoolClient).release(err) : void (client as pg.Client).end().catch(() => {}));
    let rows: { ok: boolean }[];
    try {
      ({ rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [POP3_LOCK_CLASS, mailboxId]));
    } catch (err) {
      done(err as Error);
      throw err;
    }
    if (!rows[0]?.ok) {
      done();
      return undefined;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [POP3_LOCK_CLASS, mailboxId]);
          done();
        } catch (err) {
          // Destroying the connection is what releases a lock we could not release by hand.
          done(err as Error);
        }
      },
    };
  }

  private async dedicated(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'darwin-pop3-lock' });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
