import type { AddressInfo, Server, Socket } from 'node:net';
import type { Config } from '@darwin/config';
import type { Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';
import { Authenticator } from './auth/authenticator.js';
import type { EngineContext } from './engine-context.js';
import type { ProtocolServer } from './protocol-server.js';
import { createImapServer } from './imap/server.js';
import { createPop3Server } from './pop3/server.js';
import { createMxServer } from './smtp/server.js';

export interface RunningEngine {
  readonly ports: { readonly smtp: number; readonly imap: number; readonly pop3: number };
  /** Stops accepting, closes client connections, and resolves when every listener is down. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts every protocol listener of one engine process on the configured ports. */
export async function startEngine(deps: { config: Config; store: MailStore; logger: Logger }): Promise<RunningEngine> {
  const { config, store, logger } = deps;
  const auth = new Authenticator({ store, logger: logger.child({ part: 'auth' }), failureDelayMs: config.authFailureDelay });
  const ctx: EngineContext = { config, store, auth, logger };

  const mx = createMxServer(ctx);
  const imap = createImapServer(ctx);
  const pop3 = createPop3Server(ctx);
  const imapSockets = trackSockets(imap);
  const pop3Sockets = trackSockets(pop3);
  const host = config.bindAddress;
  const ports = {
    smtp: await listen(mx.server, config.smtpPort, host),
    imap: await listen(imap, config.imapPort, host),
    pop3: await listen(pop3, config.pop3Port, host),
  };
  // After listen() succeeded, a server error (e.g. EMFILE on accept) is logged, not fatal.
  for (const [name, server] of [['smtp', mx.server], ['imap', imap], ['pop3', pop3]] as const) {
    server.on('error', (err) => logger.error('listener error', { proto: name, err }));
  }
  return {
    ports,
    close: async () => {
      await Promise.all([
        new Promise<void>((resolve) => mx.close(() => resolve())),
        closeServer(imap, imapSockets),
        closeServer(pop3, pop3Sockets),
      ]);
    },
  };
}

/**
 * Polite shutdown (each session says goodbye in its protocol), bounded: sessions still open after
 * two seconds, e.g. in the middle of a large FETCH to a stalled client, are cut.
 */
async function closeServer(server: ProtocolServer, sockets: Set<Socket>): Promise<void> {
  const timer = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, 2_000);
  await server.shutdown();
  clearTimeout(timer);
}

/** The open sockets of a server, so closeServer can cut the ones that do not end in time. */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return sockets;
}
