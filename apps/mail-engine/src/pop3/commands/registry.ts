import { auth } from './auth.js';
import { capa } from './capa.js';
import type { Pop3Command, Registry } from './command.js';
import { dele } from './dele.js';
import { list } from './list.js';
import { noop } from './noop.js';
import { pass } from './pass.js';
import { quit } from './quit.js';
import { retr } from './retr.js';
import { rset } from './rset.js';
import { stat } from './stat.js';
import { stls } from './stls.js';
import { top } from './top.js';
import { uidl } from './uidl.js';
import { user } from './user.js';

/**
 * Every POP3 command the server understands, by keyword. A new command is one file and one line
 * here. The order is the order of CAPA's lines: TOP, UIDL, USER, SASL, STLS.
 */
export const commands: readonly Pop3Command<unknown>[] = [capa, top, uidl, user, pass, auth, stls, stat, list, retr, dele, rset, noop, quit];

export function createRegistry(all: readonly Pop3Command<unknown>[] = commands): Registry {
  return new Map(all.map((c) => [c.name, c]));
}
