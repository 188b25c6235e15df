import type { Logger } from '@darwin/logger';
import type { MailboxAccount, MaildropLock } from '@darwin/mail-store';
import type { EngineContext } from '../../engine-context.js';
import type { ArgParser } from '../args.js';
import type { Maildrop } from '../maildrop.js';
import type { ReadAhead } from '../read-ahead.js';
import type { SeenMarks } from '../seen-marks.js';
import type { Pop3State } from '../state.js';

/** What a logged-in session holds until it ends. */
export interface Pop3Transaction {
  readonly account: MailboxAccount;
  readonly folderId: string;
  readonly maildrop: Maildrop;
  readonly lock: MaildropLock;
  /** \Seen flags earned by RETR, written in batches and at the end of the session. */
  readonly seen: SeenMarks;
  /** Small messages fetched ahead for in-order downloads (read-ahead.ts). */
  readonly readAhead: ReadAhead;
}

/** The session as command handlers see it: replies, state changes, and the engine's services. */
export interface CommandSession {
  readonly engine: EngineContext;
  /** Carries the connection id on every line. */
  readonly log: Logger;
  readonly remoteAddress: string | undefined;
  /** The connection is encrypted: implicit TLS (POP3S) or after STLS. */
  readonly secure: boolean;
  readonly state: Pop3State;
  /** The commands this session understands (CAPA lists their capabilities). */
  readonly commands: Registry;
  /** Set by USER, consumed by PASS. */
  pendingUser: string | undefined;
  /** From login to the end of the session. */
  readonly transaction: Pop3Transaction | undefined;

  /** Whether this connection may carry a password: always inside TLS, else as DARWIN_PLAINTEXT_AUTH says. */
  plaintextAllowed(): boolean;
  /**
   * STLS (RFC 2595): sends `+OK text` in clear text, throws away whatever the client sent after the
   * command, and serves the session over TLS on the same connection. True once the handshake has
   * succeeded; false when it failed or timed out (the connection is then closed).
   */
  startTls(text: string): Promise<boolean>;
  /**
   * A SASL challenge (RFC 5034 section 4): sends "+ " and `challenge` (base64 already), and returns
   * the client's next line, which may be longer than a command line; undefined when even that
   * limit was exceeded. Rejects with ConnectionClosed when the client goes away meanwhile.
   */
  continuation(challenge: string): Promise<string | undefined>;
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
  /**
   * Raw bytes, resolving once the socket can take more (backpressure). Several pieces given at
   * once leave in one system call (status line, message and terminator of a small RETR).
   */
  write(data: Buffer | string | readonly (Buffer | string)[]): Promise<void>;
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
  /** Arguments never reach the logs (PASS, AUTH). */
  readonly secretArgs?: boolean;
  /** Its CAPA line (RFC 2449), when it has one and it is offered on this connection. */
  capability?(session: CommandSession): string | undefined;
  handle(session: CommandSession, args: A): Promise<void>;
}

export type Registry = ReadonlyMap<string, Pop3Command<unknown>>;

export function defineCommand<A>(command: Pop3Command<A>): Pop3Command<A> {
  return command;
}
