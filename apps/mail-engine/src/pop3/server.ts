import { createServer } from 'node:net';
import type { ProtocolServer } from '../protocol-server.js';
import type { EngineContext } from '../engine-context.js';
import { createRegistry } from './commands/registry.js';
import { Pop3Session } from './session.js';

/**
 * The POP3 server (RFC 1939, with CAPA/TOP/UIDL/USER from RFC 2449), plain TCP. The caller
 * listens on it (ctx.config.pop3Port) and stops it with shutdown(), which lets idle sessions say
 * "-ERR [SYS/TEMP] Server shutting down." before closing. STLS (RFC 2595) is a
 * later addition: the session's socket is replaceable for it (Pop3Session.useSocket).
 */
export function createPop3Server(ctx: EngineContext): ProtocolServer {
  const registry = createRegistry();
  const sessions = new Set<Pop3Session>();
  // allowHalfOpen: a client that sends "... QUIT" and then shuts its side still gets its answers.
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const session = new Pop3Session(ctx, socket, registry);
    sessions.add(session);
    void session.run().finally(() => sessions.delete(session));
  });
  return Object.assign(server, {
    async shutdown(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.shutdown();
      await closed;
    },
  });
}
