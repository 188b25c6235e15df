import type { AddressInfo } from 'node:net';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, spoolBuffer } from '@darwin/mail-store';
import { Authenticator } from '../../auth/authenticator.js';
import type { ProtocolServer } from '../../protocol-server.js';
import { createTestEngineContext } from '../../testing/test-engine-context.js';
import { createPop3Server } from '../server.js';

export const PASSWORD = 'correct horse battery';

/** A real PostgreSQL database and store, and POP3 servers over them listening on free ports. */
export interface Pop3Fixture {
  readonly db: TestDatabase;
  readonly store: PgMailStore;
  /** The port of the default server (DARWIN_PLAINTEXT_AUTH=always). */
  readonly port: number;
  /** Another server on the same store, with extra settings (e.g. short timeouts). */
  listen(env?: Record<string, string>): Promise<{ readonly port: number; readonly server: ProtocolServer }>;
  mailbox(address: string): Promise<SeededMailbox>;
  deliver(mailboxId: string, raw: Buffer | string): Promise<void>;
  close(): Promise<void>;
}

export async function startPop3Fixture(): Promise<Pop3Fixture> {
  const db = await createTestDatabase();
  const store = new PgMailStore({ url: db.url, poolSize: 10 });
  const logger = createLogger({ app: 'test' }, { level: 'warn' });
  const auth = new Authenticator({ store, logger, failureDelayMs: 10 });
  const servers: ProtocolServer[] = [];

  const listen = async (env: Record<string, string> = {}): Promise<{ port: number; server: ProtocolServer }> => {
    const ctx = await createTestEngineContext({ store, auth, logger, env });
    const server = createPop3Server(ctx);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, server };
  };

  const { port } = await listen();
  return {
    db,
    store,
    port,
    listen,
    mailbox: (address) => seedMailbox(db.dataSource, { address, password: PASSWORD }),
    deliver: async (mailboxId, raw) => {
      const [out] = await store.deliver(await spoolBuffer(Buffer.isBuffer(raw) ? raw : Buffer.from(raw)), [{ mailboxId }]);
      if (out?.status !== 'stored') throw new Error(`delivery failed: ${out?.status}`);
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.emit('shutdown');
              s.close(() => resolve());
            }),
        ),
      );
      await store.close();
      await db.drop();
    },
  };
}

/** A small message with CRLF line ends. */
export function textMessage(subject: string, body: string): string {
  return `From: sender@example.org\r\nTo: someone@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\n\r\n${body}`;
}
