import type { Logger } from '@darwin/logger';
import type { MailboxAccount, MaildropLock } from '@darwin/mail-store';
import type { EngineContext } from '../../engine-context.js';
import type { ArgParser } from '../args.js';
import type { Maildrop } from '../maildrop.js';
import type { Pop3State } from '../state.js';

/** What a logged-in session holds until it ends. */
export interface Pop3Transaction {
  readonly account: MailboxAccount;
  readonly folderId: string;
  readonly maildrop: Maildrop;
  readonly lock: MaildropLock;
}

/** The session as command handlers see it: replies, state changes, and the engine's services. */
export interface CommandSession {
  readonly engine: EngineContext;
  /** Carries the connection id on every line. */
  readonly log: Logger;
  readonly remoteAddress: string | undefined;
  readonly state: Pop3State;
  /** The commands this session understands (CAPA lists their capabilities). */
  readonly commands: Registry;
  /** Set by USER, consumed by PASS. */
  pendingUser: string | undefined;
  /** From login to the end of the session. */
  readonly transaction: Pop3Transaction | undefined;

  /** Whether this connection may send a password in the clear. */
  plaintextAllowed(): boolean;
  /** Records a failed login; true when the connection should now be closed. */
  authFailed(): boolean;
  /** AUTHORIZATION -> TRANSACTION, with the locked, numbered maildrop. */
  beginTransaction(t: Pop3Transaction): void;
  /** TRANSACTION -> UPDATE (QUIT). */
  enterUpdate(): void;
  /** Releases the maildrop lock now (QUIT does it before answering, so the client may reconnect at once). */
  releaseMaildrop(): Promise<void>;

  /** `+OK text`. Rejects with ConnectionClosed when the connection is gone. */
  ok(text?: string): Promise<void>;
  /** `-ERR text`. */
  err(text: string): Promise<void>;
  /** `+OK first`, the lines (byte-stuffed), then the terminating ".". */
  multiline(first: string, lines: Iterable<string>): Promise<void>;
  /** Raw bytes, resolving once the socket can take more (backpressure). */
  write(data: Buffer | string): Promise<void>;
  /** Takes no further commands; the connection is closed after what was written. */
  end(): void;
  /**
   * Ends the connection after an unexpected error: with "-ERR [SYS/TEMP] ..." when nothing of the
   * current reply was written yet, else at once (a multi-line reply cut short cannot be finished).
   */
  abort(): void;
}

/**
 * One POP3 command: the states it is allowed in and its argument parser. The dispatcher checks both
 * before `handle` runs, so handlers only see valid input. `handle` is declared as a method so a
 * command with its own argument type fits in the registry's `Pop3Command<unknown>`.
 */
export interface Pop3Command<A> {
  /** Upper-case keyword. */
  readonly name: string;
  readonly states: readonly Pop3State[];
  readonly args: ArgParser<A>;
  /** Arguments never reach the logs (PASS, later AUTH). */
  readonly secretArgs?: boolean;
  /** Its CAPA line (RFC 2449), when it has one and it is offered on this connection. */
  capability?(session: CommandSession): string | undefined;
  handle(session: CommandSession, args: A): Promise<void>;
}

export type Registry = ReadonlyMap<string, Pop3Command<unknown>>;

export function defineCommand<A>(command: Pop3Command<A>): Pop3Command<A> {
  return command;
}
