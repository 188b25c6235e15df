import type { AddressInfo, Server, Socket } from 'node:net';
import type { Config } from '@darwin/config';
import type { LoginThrottle } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import type { MailStore, PgOutboundQueue } from '@darwin/mail-store';
import { Authenticator } from './auth/authenticator.js';
import type { EngineContext } from './engine-context.js';
import type { ProtocolServer } from './protocol-server.js';
import { implicitTls } from './implicit-tls.js';
import { loadTlsMaterial, type TlsMaterial } from './tls/tls-material.js';
import { createImapServer } from './imap/server.js';
import { createPop3Server } from './pop3/server.js';
import { ExpungedPruner } from './maintenance/expunged-pruner.js';
import { SearchIndexer } from './maintenance/search-indexer.js';
import { OutboundWorkers } from './outbound/worker.js';
import { createMxServer, createSubmissionServer } from './smtp/server.js';
import { createSmtpServices } from './smtp/services.js';

export interface RunningEngine {
  readonly ports: {
    readonly smtp: number;
    readonly submission: number;
    readonly smtps: number;
    readonly imap: number;
    readonly imaps: number;
    readonly pop3: number;
    readonly pop3s: number;
  };
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
  /** The outbound queue; when given (and DARWIN_QUEUE_WORKERS > 0) this process runs delivery workers. */
  readonly outboundQueue?: PgOutboundQueue;
}

/** Starts every protocol listener of one engine process on the configured ports. */
export async function startEngine(deps: EngineDeps): Promise<RunningEngine> {
  const { config, store, logger } = deps;
  const auth = new Authenticator({ store, logger: logger.child({ part: 'auth' }), failureDelayMs: config.authFailureDelay, throttle: deps.throttle });
  const tls = deps.tls ?? (await loadTlsMaterial(config, logger));
  const ctx: EngineContext = { config, store, auth, logger, tls };

  // SMTP: the MX and the two submission listeners share the directory, send guard and DNS cache.
  const smtpServices = createSmtpServices(ctx);
  const mx = createMxServer(ctx, smtpServices);
  const submission = createSubmissionServer(ctx, smtpServices, { implicitTls: false });
  const smtps = createSubmissionServer(ctx, smtpServices, { implicitTls: true });
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
    submission: await listen(submission.server, config.submissionPort, host),
    smtps: await listen(smtps.server, config.smtpsPort, host),
    imap: await listen(imap, config.imapPort, host),
    imaps: await listen(imaps, config.imapsPort, host),
    pop3: await listen(pop3, config.pop3Port, host),
    pop3s: await listen(pop3s, config.pop3sPort, host),
  };
  // Outbound queue: delivery workers claim due rows from the database, whichever process queued them.
  const outbound =
    deps.outboundQueue && config.queueWorkers > 0
      ? new OutboundWorkers({ config, store, queue: deps.outboundQueue, logger: logger.child({ part: 'outbound' }), databaseUrl: config.databaseUrl })
      : undefined;
  await outbound?.start();
  const pruner = new ExpungedPruner({ store, logger: logger.child({ part: 'maintenance' }), retentionMs: config.expungedRetention });
  pruner.start();
  const indexer = new SearchIndexer({ store, logger: logger.child({ part: 'maintenance' }), perSecond: config.searchIndexRate });
  indexer.start();
  // After listen() succeeded, a server error (e.g. EMFILE on accept) is logged, not fatal.
  const listeners = { smtp: mx.server, submission: submission.server, smtps: smtps.server, imap, imaps, pop3, pop3s };
  for (const [name, server] of Object.entries(listeners)) server.on('error', (err) => logger.error('listener error', { listener: name, err }));
  return {
    ports,
    close: async () => {
      // Deliveries in progress get a moment to finish; the rest go back to the queue for any process.
      const outboundStopped = outbound?.stop(3_000);
      const prunerStopped = pruner.stop();
      const indexerStopped = indexer.stop();
      imaps.close();
      pop3s.close();
      await Promise.all([
        ...[mx, submission, smtps].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
        closeServer(imap, imapSockets),
        closeServer(pop3, pop3Sockets),
      ]);
      await outboundStopped;
      await prunerStopped;
      await indexerStopped;
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
