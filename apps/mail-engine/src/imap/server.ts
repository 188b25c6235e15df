/**
 * The IMAP listener: one ImapSession per TCP connection. Implicit TLS (993) connections arrive
 * here already decrypted (engine.ts); STARTTLS upgrades the same session in place. Connection
 * counts per address and per user are kept for the whole listener (this process).
 */
import net from 'node:net';
import type { EngineContext } from '../engine-context.js';
import type { ProtocolServer } from '../protocol-server.js';
import { createRegistry } from './commands/registry.js';
import { ConnectionCounter, type ConnectionCounters } from './connection-counter.js';
import { Dispatcher } from './dispatcher.js';
import { imapLimits } from './limits.js';
import { DEFAULT_LIMITS, ImapSession } from './session.js';

/** Stops accepting, says BYE to every session (after its current command) and waits for them to end. */
export type ImapServer = ProtocolServer;

export function createImapServer(ctx: EngineContext): ImapServer {
  const dispatcher = new Dispatcher(createRegistry(), { maxDiscardBytes: ctx.config.maxMessageBytes });
  const sessions = new Set<ImapSession>();
  const limits = imapLimits(ctx.config);
  const counters: ConnectionCounters = { perIp: new ConnectionCounter(limits.maxConnectionsPerIp), perUser: new ConnectionCounter(limits.maxConnectionsPerUser) };
  const server = net.createServer({ noDelay: true }, (socket) => {
    const session = new ImapSession(ctx, socket, dispatcher, DEFAULT_LIMITS, counters);
    sessions.add(session);
    session.onClose(() => sessions.delete(session));
    session.start();
  });
  return Object.assign(server, {
    async shutdown(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions) s.shutdown();
      await closed;
    },
  });
}
