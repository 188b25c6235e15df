/**
 * What a command module is: its name, the session states it is allowed in, its argument schema
 * and a handler. The dispatcher checks state and arguments before the handler runs, and writes
 * the tagged reply from what the handler returns or throws.
 */
import type { Logger } from '@darwin/logger';
import type { MailboxAccount } from '@darwin/mail-store';
import type { EngineContext } from '../../engine-context.js';
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
  authenticate(account: MailboxAccount): void;
  /** Counts a failed login on this connection; returns how many there were. */
  loginFailed(): number;
  /** Makes `folder` the selected mailbox (deselecting the previous one). */
  select(folder: SelectedFolder): void;
  /** Back to the authenticated state. */
  deselect(): void;
  /** The connection ends after the tagged reply of the current command. */
  logout(): void;
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
  /** Largest literal accepted for this command's arguments (default: a small cap for strings). */
  readonly maxLiteralBytes?: number;
  handle(session: SessionApi, args: ArgsOf<S>, tag: string): Promise<Completion>;
}

/** Declares a command with its argument types inferred from the schema. */
export function defineCommand<const S extends readonly ArgSpec<unknown>[]>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}
