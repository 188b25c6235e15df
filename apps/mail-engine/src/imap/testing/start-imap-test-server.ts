/**
 * Test helper: a fresh migrated database, a PgMailStore, and an IMAP server on a free port built
 * the way the engine builds it. Real PostgreSQL, no mocks.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger, type LogLevel } from '@darwin/logger';
import { PgMailStore, spoolBuffer, type MailStore } from '@darwin/mail-store';
import { createTestEngineContext } from '../../testing/test-engine-context.js';
import type { EngineContext } from '../../engine-context.js';
import { createImapServer, type ImapServer } from '../server.js';

export interface ImapTestServer {
  readonly port: number;
  readonly db: TestDatabase;
  readonly store: PgMailStore;
  readonly server: ImapServer;
  readonly ctx: EngineContext;
  seed(address: string, password: string): Promise<SeededMailbox>;
  /** Stores a message in a mailbox's folder; resolves to its UID. */
  deliver(mailboxId: string, raw: Buffer, opts?: { folder?: string; internalDate?: Date; flags?: string[] }): Promise<number>;
  /** What an earlier client's SELECT does: the mailbox's messages so far are no longer \Recent. */
  claimRecent(mailboxId: string): Promise<void>;
  /**
   * Another IMAP server on the same store with different settings (e.g. short timeouts), and
   * config keys not (yet) in the schema, such as the IMAP limits of limits.ts.
   */
  sibling(env: Record<string, string>, logLines?: string[], store?: MailStore, configPatch?: Record<string, unknown>): Promise<{ port: number; close(): Promise<void> }>;
  close(): Promise<void>;
}

export async function startImapTestServer(opts: { env?: Record<string, string>; logLevel?: LogLevel; logLines?: string[] } = {}): Promise<ImapTestServer> {
  const db = await createTestDatabase();
  const logger = createLogger({ app: 'test' }, { level: opts.logLevel ?? 'warn', write: opts.logLines ? (l) => void opts.logLines!.push(l) : undefined });
  const store = new PgMailStore({ url: db.url, logger });
  await store.watching();
  const ctx = await createTestEngineContext({ store, logger, env: opts.env });
  const server = createImapServer(ctx);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    db,
    store,
    server,
    ctx,
    seed: (address, password) => seedMailbox(db.dataSource, { address, password }),
    async deliver(mailboxId, raw, o = {}) {
      const spooled = await spoolBuffer(raw);
      try {
        const [out] = await store.deliver(spooled, [{ mailboxId, folder: o.folder, flags: o.flags }], { internalDate: o.internalDate });
        if (out?.status !== 'stored') throw new Error(`delivery failed: ${out?.status}`);
        return out.uid;
      } finally {
        await spooled.dispose();
      }
    },
    async claimRecent(mailboxId) {
      for (const f of await store.listFolders(mailboxId)) await store.claimRecent(f.id);
    },
    async sibling(env, logLines, otherStore, configPatch) {
      const lg = logLines ? createLogger({ app: 'test' }, { level: 'debug', write: (l) => void logLines.push(l) }) : logger;
      const base: EngineContext = await createTestEngineContext({ store: otherStore ?? store, logger: lg, env, auth: ctx.auth });
      const c: EngineContext = configPatch ? { ...base, config: { ...base.config, ...configPatch } as EngineContext['config'] } : base;
      const s = createImapServer(c);
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return { port: (s.address() as AddressInfo).port, close: () => s.shutdown() };
    },
    async close() {
      await server.shutdown();
      await store.close();
      await db.drop();
    },
  };
}

/** One server for the tests of a describe block: started before them, closed after them. */
export function useImapTestServer(opts: Parameters<typeof startImapTestServer>[0] = {}): () => ImapTestServer {
  let t: ImapTestServer | undefined;
  beforeAll(async () => {
    t = await startImapTestServer(opts);
  });
  afterAll(async () => {
    await t?.close();
  });
  return () => t!;
}
