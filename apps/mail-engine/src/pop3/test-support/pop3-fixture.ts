import type { AddressInfo, Server } from 'node:net';
import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger, type Logger } from '@darwin/logger';
import { PgMailStore, spoolBuffer, type MailStore } from '@darwin/mail-store';
import { Authenticator } from '../../auth/authenticator.js';
import { implicitTls } from '../../implicit-tls.js';
import type { ProtocolServer } from '../../protocol-server.js';
import { createTestEngineContext, testTls } from '../../testing/test-engine-context.js';
import { createPop3Server } from '../server.js';

export const PASSWORD = 'correct horse battery';

export interface ListenOptions {
  /** Also listen with implicit TLS (POP3S) in front of the same server. */
  readonly implicitTls?: boolean;
  readonly logger?: Logger;
  /** Instead of the fixture's store (e.g. one that fails on cue). */
  readonly store?: MailStore;
  readonly auth?: Authenticator;
}

export interface Listening {
  readonly port: number;
  /** With `implicitTls`: the POP3S port. */
  readonly tlsPort: number | undefined;
  readonly server: ProtocolServer;
  /** Stops both listeners (politely, as the engine does); resolves when every session has ended. */
  stop(): Promise<void>;
}

/** A real PostgreSQL database and store, and POP3 servers over them listening on free ports. */
export interface Pop3Fixture {
  readonly db: TestDatabase;
  readonly store: PgMailStore;
  /** The port of the default server (DARWIN_PLAINTEXT_AUTH=always). */
  readonly port: number;
  /** The test certificate (self-signed: it is its own CA), for TLS clients to trust. */
  readonly ca: string;
  /** Another server on the same store, with extra settings (e.g. short timeouts). */
  listen(env?: Record<string, string>, opts?: ListenOptions): Promise<Listening>;
  mailbox(address: string): Promise<SeededMailbox>;
  deliver(mailboxId: string, raw: Buffer | string): Promise<void>;
  close(): Promise<void>;
}

async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startPop3Fixture(): Promise<Pop3Fixture> {
  const db = await createTestDatabase();
  const store = new PgMailStore({ url: db.url, poolSize: 10 });
  const logger = createLogger({ app: 'test' }, { level: 'warn' });
  const auth = new Authenticator({ store, logger, failureDelayMs: 10 });
  const running = new Set<Listening>();
  const ca = (await testTls()).certPem;

  const listen = async (env: Record<string, string> = {}, opts: ListenOptions = {}): Promise<Listening> => {
    const ctx = await createTestEngineContext({ store: opts.store ?? store, auth: opts.auth ?? auth, logger: opts.logger ?? logger, env });
    const server = createPop3Server(ctx);
    const port = await listenOn(server);
    const pop3s = opts.implicitTls ? implicitTls(server, ctx.tls, ctx.logger) : undefined;
    const tlsPort = pop3s ? await listenOn(pop3s) : undefined;
    let stopped: Promise<void> | undefined;
    const listening: Listening = {
      port,
      tlsPort,
      server,
      stop: () =>
        (stopped ??= (async () => {
          running.delete(listening);
          pop3s?.close();
          await server.shutdown();
        })()),
    };
    running.add(listening);
    return listening;
  };

  const { port } = await listen();
  return {
    db,
    store,
    port,
    ca,
    listen,
    mailbox: (address) => seedMailbox(db.dataSource, { address, password: PASSWORD }),
    deliver: async (mailboxId, raw) => {
      const [out] = await store.deliver(await spoolBuffer(Buffer.isBuffer(raw) ? raw : Buffer.from(raw)), [{ mailboxId }]);
      if (out?.status !== 'stored') throw new Error(`delivery failed: ${out?.status}`);
    },
    close: async () => {
      await Promise.all([...running].map((l) => l.stop()));
      await store.close();
      await db.drop();
    },
  };
}

/** A small message with CRLF line ends. */
export function textMessage(subject: string, body: string): string {
  return `From: sender@example.org\r\nTo: someone@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\n\r\n${body}`;
}
