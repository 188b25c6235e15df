import type { AddressInfo, Server, Socket } from 'node:net';
import type { Config } from '@darwin/config';
import type { LoginThrottle } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';
import { Authenticator } from './auth/authenticator.js';
import type { EngineContext } from './engine-context.js';
import type { ProtocolServer } from './protocol-server.js';
import { implicitTls } from './implicit-tls.js';
import { loadTlsMaterial, type TlsMaterial } from './tls/tls-material.js';
import { createImapServer } from './imap/server.js';
import { createPop3Server } from './pop3/server.js';
import { createMxServer } from './smtp/server.js';

export interface RunningEngine {
  readonly ports: { readonly smtp: number; readonly imap: number; readonly imaps: number; readonly pop3: number; readonly pop3s: number };
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

export interface EngineDeps {
  readonly config: Config;
  readonly store: MailStore;
  readonly logger: Logger;
  readonly throttle?: LoginThrottle;
  /** Defaults to the configured certificate, or a generated self-signed one. */
  readonly tls?: TlsMaterial;
}

/** Starts every protocol listener of one engine process on the configured ports. */
export async function startEngine(deps: EngineDeps): Promise<RunningEngine> {
  const { config, store, logger } = deps;
  const auth = new Authenticator({ store, logger: logger.child({ part: 'auth' }), failureDelayMs: config.authFailureDelay, throttle: deps.throttle });
  const tls = deps.tls ?? (await loadTlsMaterial(config, logger));
  const ctx: EngineContext = { config, store, auth, logger, tls };

  const mx = createMxServer(ctx);
  const imap = createImapServer(ctx);
  const pop3 = createPop3Server(ctx);
  const imaps = implicitTls(imap, tls, logger);
  const pop3s = implicitTls(pop3, tls, logger);
  // Plain and TLS connections of one protocol end up in the same server; track both kinds.
  const imapSockets = trackSockets(imap);
  const pop3Sockets = trackSockets(pop3);
  const host = config.bindAddress;
  const ports = {
    smtp: await listen(mx.server, config.smtpPort, host),
    imap: await listen(imap, config.imapPort, host),
    imaps: await listen(imaps, config.imapsPort, host),
    pop3: await listen(pop3, config.pop3Port, host),
    pop3s: await listen(pop3s, config.pop3sPort, host),
  };
  // After listen() succeeded, a server error (e.g. EMFILE on accept) is logged, not fatal.
  const listeners = { smtp: mx.server, imap, imaps, pop3, pop3s };
  for (const [name, server] of Object.entries(listeners)) server.on('error', (err) => logger.error('listener error', { listener: name, err }));
  return {
    ports,
    close: async () => {
      imaps.close();
      pop3s.close();
      await Promise.all([new Promise<void>((resolve) => mx.close(() => resolve())), closeServer(imap, imapSockets), closeServer(pop3, pop3Sockets)]);
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
