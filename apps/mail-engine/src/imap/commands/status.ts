import type { FolderInfo } from '@darwin/mail-store';
import { no } from '../errors.js';
import type { Token } from '../parser/tokenizer.js';
import { untagged } from '../protocol/compiler.js';
import { wireMailboxName } from '../protocol/mailbox-name.js';
import { ArgumentError, mailbox, token } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type SessionApi } from './types.js';

const ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'APPENDLIMIT'] as const;
export type StatusItem = (typeof ITEMS)[number];

/** The requested items, without duplicates, in the canonical order (as Dovecot answers them). */
export function readStatusItems(t: Token | undefined): StatusItem[] {
  if (!t || t.type !== 'list' || t.items.length === 0) throw new ArgumentError('Expected a list of status items such as (MESSAGES UNSEEN)');
  const wanted = new Set(
    t.items.map((i) => {
      const name = i.type === 'atom' ? i.value.toUpperCase() : '';
      if (!(ITEMS as readonly string[]).includes(name)) throw new ArgumentError(`Unknown status item ${name || '?'}`);
      return name as StatusItem;
    }),
  );
  return ITEMS.filter((i) => wanted.has(i));
}

/** `* STATUS name (item value ...)` for a folder (STATUS, and LIST-STATUS). */
export async function sendStatus(session: SessionApi, folder: FolderInfo, items: readonly StatusItem[]): Promise<void> {
  const s = await session.engine.store.folderStatus(folder.id);
  if (items.includes('HIGHESTMODSEQ')) session.useCondstore();
  const values: Record<StatusItem, number> = {
    MESSAGES: s.messages,
    RECENT: s.recent,
    UIDNEXT: s.uidnext,
    UIDVALIDITY: s.uidvalidity,
    UNSEEN: s.unseen,
    HIGHESTMODSEQ: s.highestModseq,
    SIZE: s.sizeBytes,
    APPENDLIMIT: session.appendLimit(),
  };
  const name = wireMailboxName(folder.name, session.enabled.has('UTF8=ACCEPT'));
  await session.send(
    untagged(
      (b) =>
        b
          .atom('STATUS')
          .mailboxName(name, session.enabled.has('UTF8=ACCEPT'))
          .list((l) => {
            for (const i of items) l.atom(i).number(values[i]);
          }),
      session.logResponses,
    ),
  );
}

/** RFC 3501 6.3.10, with RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE and RFC 7889 APPENDLIMIT. */
export const statusCommand: CommandSpec = defineCommand({
  name: 'STATUS',
  states: AUTHENTICATED,
  args: [mailbox(), token('status items')],
  async handle(session, [name, itemsToken]) {
    const items = readStatusItems(itemsToken);
    const folder = await session.engine.store.getFolder(session.account!.id, name);
    if (!folder) throw no('Mailbox does not exist.', 'NONEXISTENT');
    await sendStatus(session, folder, items);
    return { text: 'STATUS completed.' };
  },
});
