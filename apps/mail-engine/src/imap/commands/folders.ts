/**
 * Mailbox management: CREATE (RFC 3501 6.3.3, RFC 6154 CREATE-SPECIAL-USE), DELETE (6.3.4),
 * RENAME (6.3.5, INBOX rules), SUBSCRIBE and UNSUBSCRIBE (6.3.6, 6.3.7). New names are checked
 * against the naming rules and limits (protocol/mailbox-name.ts, limits.ts).
 */
import { no } from '../errors.js';
import type { Token } from '../parser/tokenizer.js';
import { newMailboxNameProblem } from '../protocol/mailbox-name.js';
import { ArgumentError, mailbox, token } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type SessionApi } from './types.js';

const SPECIAL_USES = new Set(['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash']);

/** A trailing delimiter only says children are intended (RFC 3501 6.3.3): "a/" creates "a". */
function checkedName(session: SessionApi, raw: string): string {
  const name = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const problem = newMailboxNameProblem(name, session.limits);
  if (problem) throw no(problem, 'CANNOT');
  return name;
}

/** `(USE (\Sent))` of CREATE-SPECIAL-USE. */
function specialUse(t: Token | undefined): string | null {
  if (!t) return null;
  if (t.type !== 'list') throw new ArgumentError('Expected CREATE parameters in parentheses');
  let use: string | null = null;
  for (let i = 0; i < t.items.length; i++) {
    const p = t.items[i]!;
    if (p.type !== 'atom' || p.value.toUpperCase() !== 'USE') throw new ArgumentError('Unknown CREATE parameter');
    const list = t.items[++i];
    if (list?.type !== 'list' || list.items.length === 0) throw new ArgumentError('USE needs a list of special-use attributes');
    if (list.items.length > 1) throw no('Only one special-use attribute per mailbox.', 'USEATTR');
    const a = list.items[0]!;
    const value = a.type === 'atom' ? [...SPECIAL_USES].find((s) => s.toLowerCase() === a.value.toLowerCase()) : undefined;
    if (!value) throw no('Unsupported special-use attribute.', 'USEATTR');
    use = value;
  }
  return use;
}

export const createCommand: CommandSpec = defineCommand({
  name: 'CREATE',
  states: AUTHENTICATED,
  args: [mailbox(), token('parameters', { optional: true })],
  async handle(session, [raw, params]) {
    if (raw.toUpperCase() === 'INBOX' || raw.toUpperCase() === 'INBOX/') throw no('Mailbox already exists.', 'ALREADYEXISTS');
    const name = checkedName(session, raw);
    const use = specialUse(params);
    // Not subscribed: RFC 3501 leaves that to SUBSCRIBE (Dovecot does the same).
    const r = await session.engine.store.createFolder(session.account!.id, name, { specialUse: use, subscribed: false, maxFolders: session.limits.maxFolders });
    if (r.status === 'exists') throw no('Mailbox already exists.', 'ALREADYEXISTS');
    if (r.status === 'too_many') throw no(`Too many mailboxes (limit ${session.limits.maxFolders}).`, 'LIMIT');
    return { text: 'CREATE completed.' };
  },
});

export const deleteCommand: CommandSpec = defineCommand({
  name: 'DELETE',
  states: AUTHENTICATED,
  args: [mailbox()],
  async handle(session, [name]) {
    if (name === 'INBOX') throw no('INBOX cannot be deleted.', 'CANNOT');
    const store = session.engine.store;
    const folders = await store.listFolders(session.account!.id);
    const folder = folders.find((f) => f.name === name);
    // A folder with children may go: its name stays in the hierarchy as \Noselect (RFC 3501 6.3.4).
    if (!folder) throw no('Mailbox does not exist.', 'NONEXISTENT');
    if (session.selected?.id === folder.id) session.deselect();
    await store.deleteFolder(folder.id);
    return { text: 'DELETE completed.' };
  },
});

export const renameCommand: CommandSpec = defineCommand({
  name: 'RENAME',
  states: AUTHENTICATED,
  args: [mailbox('existing mailbox'), mailbox('new mailbox')],
  async handle(session, [from, rawTo]) {
    const to = checkedName(session, rawTo);
    if (to === 'INBOX' || to.toUpperCase() === 'INBOX') throw no('Mailbox already exists.', 'ALREADYEXISTS');
    if (from !== 'INBOX' && (to === from || to.startsWith(`${from}/`))) throw no('Cannot rename a mailbox into itself.', 'CANNOT');
    const r = await session.engine.store.renameFolder(session.account!.id, from, to, { maxFolders: session.limits.maxFolders });
    if (r.status === 'nonexistent') throw no('Mailbox does not exist.', 'NONEXISTENT');
    if (r.status === 'exists') throw no('Mailbox already exists.', 'ALREADYEXISTS');
    if (r.status === 'too_many') throw no(`Too many mailboxes (limit ${session.limits.maxFolders}).`, 'LIMIT');
    return { text: 'RENAME completed.' };
  },
});

function subscription(name: 'SUBSCRIBE' | 'UNSUBSCRIBE', subscribed: boolean): CommandSpec {
  return defineCommand({
    name,
    states: AUTHENTICATED,
    args: [mailbox()],
    async handle(session, [folderName]) {
      const store = session.engine.store;
      const folder = await store.getFolder(session.account!.id, folderName);
      // Subscriptions live on the folder row: a name that does not exist cannot be subscribed.
      if (!folder) throw no('Mailbox does not exist.', 'NONEXISTENT');
      await store.setSubscribed(folder.id, subscribed);
      return { text: `${name} completed.` };
    },
  });
}

export const subscribeCommand = subscription('SUBSCRIBE', true);
export const unsubscribeCommand = subscription('UNSUBSCRIBE', false);

