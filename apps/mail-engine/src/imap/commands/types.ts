/**
 * What a command module is: its name, the session states it is allowed in, its argument schema
 * and a handler. The dispatcher checks state and arguments before the handler runs, and writes
 * the tagged reply from what the handler returns or throws.
 */
import type { Logger } from '@darwin/logger';
import type { MailboxAccount, SpooledMessage } from '@darwin/mail-store';
import type { EngineContext } from '../../engine-context.js';
import type { ImapLimits } from '../limits.js';
import type { LiteralRequest } from '../parser/framer.js';
import type { CompiledResponse, ResponseCode } from '../protocol/compiler.js';
import type { SelectedFolder } from '../selected-folder.js';
import type { ArgSpec, ArgsOf } from './args.js';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export const ANY_STATE: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const NOT_AUTHENTICATED: readonly SessionState[] = ['not-authenticated'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];

/** The tagged OK of a successful command. */
export interface Completion {
  readonly text: string;
  readonly code?: ResponseCode;
}

/** What handlers may see and do to the session. */
export interface SessionApi {
  readonly cid: string;
  readonly log: Logger;
  readonly engine: EngineContext;
  readonly state: SessionState;
  readonly account: MailboxAccount | undefined;
  readonly selected: SelectedFolder | undefined;
  readonly remoteAddress: string | undefined;
  /** True when responses should also be rendered for the debug log. */
  readonly logResponses: boolean;
  /** Capabilities for the current state and transport. */
  capabilities(): string[];
  /** Whether LOGIN may be used on this connection (DARWIN_PLAINTEXT_AUTH and, later, TLS). */
  plaintextLoginAllowed(): boolean;
  /** Writes an untagged response; resolves when the socket has taken it (backpressure). */
  send(response: CompiledResponse): Promise<void>;
  /** Pushes out what send() gathered (IDLE pushes between commands). */
  flush(): Promise<void>;
  /** Logs the account in; false when it already has too many connections (nothing changes). */
  authenticate(account: MailboxAccount): boolean;
  /** Counts a failed login on this connection; returns how many there were. */
  loginFailed(): number;
  /** Makes `folder` the selected mailbox (deselecting the previous one). */
  select(folder: SelectedFolder): void;
  /** Back to the authenticated state. */
  deselect(): void;
  /** The connection ends after the tagged reply of the current command. */
  logout(): void;

  /** True on TLS (implicit or after STARTTLS). */
  readonly secure: boolean;
  readonly limits: ImapLimits;
  /** RFC 7889 APPENDLIMIT for this account. */
  appendLimit(): number;
  /** Extensions the client turned on with ENABLE (CONDSTORE, QRESYNC, UTF8=ACCEPT). */
  readonly enabled: ReadonlySet<string>;
  /** Records an enabled extension; returns false when it was already on. */
  enable(extension: string): boolean;
  /** RFC 7162 3.1: CONDSTORE is on once ENABLEd or once a command used it (MODSEQ in updates). */
  readonly condstore: boolean;
  useCondstore(): void;
  /** Compression is active (COMPRESS may be used once). */
  readonly compressed: boolean;
  /**
   * The next line the client sends, outside the command syntax (IDLE's DONE, AUTHENTICATE
   * responses); undefined when the connection closed. Only while a command is running.
   */
  readLine(): Promise<Buffer | undefined>;
  /** Swaps the transport once the tagged OK is written (STARTTLS, COMPRESS=DEFLATE). */
  upgradeAfterReply(kind: 'starttls' | 'compress'): void;
  /** Says `* BYE text` and closes after the tagged reply of the current command. */
  closeAfterReply(text: string): void;
  /** A message literal that was streamed into a spool (APPEND), by its literal index; taken once. */
  takeSpooled(index: number): SpooledMessage | undefined;
  /** IDLE: the idle timeout still applies while a command waits for the client. */
  setIdling(idling: boolean): void;
}

/** A literal the dispatcher lets the command stream into a spool instead of memory (APPEND). */
export interface LiteralStreamDecision {
  /** Refuse: the text, and the response code (TOOBIG, OVERQUOTA ...). */
  readonly refuse?: { readonly text: string; readonly code: string };
}

/**
 * How the dispatcher reports mailbox changes (new mail, flag changes by others) around a command:
 * 'poll' always asks the store first (NOOP, CHECK, IDLE); 'pending' reports what the change
 * notifications have flagged; 'none' for commands that must not carry them. EXPUNGE responses will
 * be gated here too (not after FETCH, STORE, SEARCH: RFC 3501 7.4.1).
 */
export type NotifyPolicy = 'poll' | 'pending' | 'none';

export interface CommandSpec<S extends readonly ArgSpec<unknown>[] = readonly ArgSpec<unknown>[]> {
  /** Upper case; UID variants are named `UID FETCH` etc. */
  readonly name: string;
  readonly states: readonly SessionState[];
  readonly args: S;
  readonly notify?: NotifyPolicy;
  /**
   * False for FETCH, STORE and SEARCH: EXPUNGE responses must not be sent while they run
   * (RFC 3501 7.4.1), since they would renumber messages under the client.
   */
  readonly expunges?: boolean;
  /** Largest literal accepted for this command's arguments (default: a small cap for strings). */
  readonly maxLiteralBytes?: number;
  /**
   * Literals this command streams into a spool (APPEND's message): decided before `+` is sent;
   * the size limit and quota checks happen here. Other literals of the command use maxLiteralBytes.
   */
  streamLiteral?(session: SessionApi, req: LiteralRequest): Promise<LiteralStreamDecision> | undefined;
  /** Whether this `~{n}` literal (RFC 3516 literal8) is one the command takes; others are refused. */
  acceptsBinaryLiteral?(req: LiteralRequest): boolean;
  handle(session: SessionApi, args: ArgsOf<S>, tag: string): Promise<Completion>;
}

/** Declares a command with its argument types inferred from the schema. */
export function defineCommand<const S extends readonly ArgSpec<unknown>[]>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}
