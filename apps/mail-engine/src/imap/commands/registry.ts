/**
 * Command name -> module. UID variants are entries of their own (`UID FETCH`). Adding a command
 * means adding a file and a line here; the dispatcher needs no change.
 */
import { capabilityCommand } from './capability.js';
import { fetchCommand, uidFetchCommand } from './fetch.js';
import { listCommand, lsubCommand } from './list.js';
import { loginCommand } from './login.js';
import { logoutCommand } from './logout.js';
import { noopCommand } from './noop.js';
import { examineCommand, selectCommand } from './select.js';
import type { CommandSpec } from './types.js';

export type Registry = ReadonlyMap<string, CommandSpec>;

export function createRegistry(): Registry {
  const commands: CommandSpec[] = [capabilityCommand, noopCommand, logoutCommand, loginCommand, selectCommand, examineCommand, fetchCommand, uidFetchCommand, listCommand, lsubCommand];
  return new Map(commands.map((c) => [c.name, c]));
}

/** Commands of RFC 3501 and common extensions: answered "not supported yet" rather than "unknown". */
const KNOWN = new Set([
  'STARTTLS', 'AUTHENTICATE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'STATUS', 'APPEND',
  'CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'SEARCH', 'STORE', 'COPY', 'MOVE', 'IDLE', 'ENABLE', 'ID', 'NAMESPACE',
  'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA', 'COMPRESS', 'SORT', 'THREAD', 'ESEARCH', 'GETMETADATA', 'SETMETADATA', 'XLIST',
  'UID STORE', 'UID COPY', 'UID MOVE', 'UID SEARCH', 'UID EXPUNGE', 'UID SORT', 'UID THREAD',
]);

export function isKnownCommand(name: string): boolean {
  return KNOWN.has(name);
}
