/**
 * The IMAP listener: one ImapSession per TCP connection. Plain TCP for now; implicit TLS (993) and
 * STARTTLS will reuse the same session (see ImapSession.attach).
 */
import net from 'node:net';
import type { EngineContext } from '../engine-context.js';
import type { ProtocolServer } from '../protocol-server.js';
import { createRegistry } from './commands/registry.js';
import { Dispatcher } from './dispatcher.js';
import { ImapSession } from './session.js';

/** Stops accepting, says BYE to every session (after its current command) and waits for them to end. */
export type ImapServer = ProtocolServer;

export function createImapServer(ctx: EngineContext): ImapServer {
  const dispatcher = new Dispatcher(createRegistry(), { maxDiscardBytes: ctx.config.maxMessageBytes });
  const sessions = new Set<ImapSession>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const session = new ImapSession(ctx, socket, dispatcher);
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
