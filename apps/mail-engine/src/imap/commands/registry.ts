/**
 * Command name -> module. UID variants are entries of their own (`UID FETCH`). Adding a command
 * means adding a file and a line here; the dispatcher needs no change.
 */
import { appendCommand } from './append.js';
import { authenticateCommand } from './authenticate.js';
import { capabilityCommand } from './capability.js';
import { copyCommand, moveCommand, uidCopyCommand, uidMoveCommand } from './copy.js';
import { enableCommand } from './enable.js';
import { checkCommand, closeCommand, expungeCommand, uidExpungeCommand, unselectCommand } from './expunge.js';
import { fetchCommand, uidFetchCommand } from './fetch.js';
import { createCommand, deleteCommand, renameCommand, subscribeCommand, unsubscribeCommand } from './folders.js';
import { idCommand } from './id.js';
import { idleCommand } from './idle.js';
import { listCommand, lsubCommand } from './list.js';
import { loginCommand } from './login.js';
import { logoutCommand } from './logout.js';
import { namespaceCommand } from './namespace.js';
import { noopCommand } from './noop.js';
import { getQuotaCommand, getQuotaRootCommand, setQuotaCommand } from './quota.js';
import { searchCommand, uidSearchCommand } from './search.js';
import { examineCommand, selectCommand } from './select.js';
import { compressCommand, starttlsCommand } from './starttls.js';
import { statusCommand } from './status.js';
import { storeCommand, uidStoreCommand } from './store.js';
import type { CommandSpec } from './types.js';

export type Registry = ReadonlyMap<string, CommandSpec>;

export function createRegistry(): Registry {
  const commands: CommandSpec[] = [
    capabilityCommand,
    noopCommand,
    logoutCommand,
    starttlsCommand,
    authenticateCommand,
    loginCommand,
    idCommand,
    enableCommand,
    selectCommand,
    examineCommand,
    createCommand,
    deleteCommand,
    renameCommand,
    subscribeCommand,
    unsubscribeCommand,
    listCommand,
    lsubCommand,
    namespaceCommand,
    statusCommand,
    appendCommand,
    getQuotaCommand,
    getQuotaRootCommand,
    setQuotaCommand,
    compressCommand,
    idleCommand,
    checkCommand,
    closeCommand,
    unselectCommand,
    expungeCommand,
    uidExpungeCommand,
    searchCommand,
    uidSearchCommand,
    fetchCommand,
    uidFetchCommand,
    storeCommand,
    uidStoreCommand,
    copyCommand,
    uidCopyCommand,
    moveCommand,
    uidMoveCommand,
  ];
  return new Map(commands.map((c) => [c.name, c]));
}

/** Commands of extensions this server does not offer: answered "not supported" rather than "unknown". */
const KNOWN = new Set(['SORT', 'THREAD', 'UID SORT', 'UID THREAD', 'GETMETADATA', 'SETMETADATA', 'XLIST', 'NOTIFY', 'ESEARCH', 'GETACL', 'SETACL', 'MYRIGHTS', 'LISTRIGHTS']);

export function isKnownCommand(name: string): boolean {
  return KNOWN.has(name);
}
