import type { Server } from 'node:net';

/** A TCP protocol listener of the engine (IMAP, POP3). */
export interface ProtocolServer extends Server {
  /** Stops accepting, tells every session goodbye in its protocol's words, resolves when all have ended. */
  shutdown(): Promise<void>;
}
