import { bad, no } from '../errors.js';
import { reportRecentChange } from '../notifications.js';
import { untagged } from '../protocol/compiler.js';
import { formatNumbers, SequenceSetError } from '../sequence-set.js';
import { sequenceSet } from './args.js';
import { defineCommand, SELECTED, type CommandSpec, type SessionApi } from './types.js';

/** Removes \Deleted messages (all, or those of a UID set) and reports them: EXPUNGE, or VANISHED with QRESYNC. */
async function expungeDeleted(session: SessionApi, uids?: readonly number[]): Promise<void> {
  const folder = session.selected!;
  if (folder.readOnly) throw no('Mailbox is read-only.', 'READ-ONLY');
  const removed = await session.engine.store.expunge(folder.id, { onlyDeleted: true, uids });
  if (removed.length === 0) return;
  const log = session.logResponses;
  if (session.enabled.has('QRESYNC')) {
    const gone = removed.filter((u) => folder.seqOf(u) > 0);
    folder.removeOwn(gone);
    if (gone.length > 0) await session.send(untagged((b) => b.atom('VANISHED').atom(formatNumbers(gone)), log));
  } else {
    for (const seq of folder.removeOwn(removed)) await session.send(untagged((b) => b.number(seq).atom('EXPUNGE'), log));
  }
  await reportRecentChange(session);
}

/** RFC 3501 6.4.3. */
export const expungeCommand: CommandSpec = defineCommand({
  name: 'EXPUNGE',
  states: SELECTED,
  args: [],
  async handle(session) {
    await expungeDeleted(session);
    return { text: 'EXPUNGE completed.' };
  },
});

/** RFC 4315 UID EXPUNGE: only the \Deleted messages of the set. */
export const uidExpungeCommand: CommandSpec = defineCommand({
  name: 'UID EXPUNGE',
  states: SELECTED,
  args: [sequenceSet()],
  async handle(session, [set]) {
    const folder = session.selected!;
    let ranges;
    try {
      ranges = folder.resolve(set, true);
    } catch (err) {
      if (err instanceof SequenceSetError) throw bad(err.message);
      throw err;
    }
    const uids = folder.uidsOf(ranges);
    if (uids.length > 0) await expungeDeleted(session, uids);
    return { text: 'UID EXPUNGE completed.' };
  },
});

/** RFC 3501 6.4.2 CLOSE: silently expunges \Deleted messages (read-write only), then deselects. */
export const closeCommand: CommandSpec = defineCommand({
  name: 'CLOSE',
  states: SELECTED,
  args: [],
  notify: 'none',
  async handle(session) {
    const folder = session.selected!;
    if (!folder.readOnly) await session.engine.store.expunge(folder.id, { onlyDeleted: true });
    session.deselect();
    return { text: 'CLOSE completed.' };
  },
});

/** RFC 3691 UNSELECT: deselects without expunging. */
export const unselectCommand: CommandSpec = defineCommand({
  name: 'UNSELECT',
  states: SELECTED,
  args: [],
  notify: 'none',
  async handle(session) {
    session.deselect();
    return { text: 'UNSELECT completed.' };
  },
});

/** RFC 3501 6.4.1 CHECK: nothing to flush (every change is committed); reports mailbox updates. */
export const checkCommand: CommandSpec = defineCommand({
  name: 'CHECK',
  states: SELECTED,
  args: [],
  notify: 'poll',
  async handle() {
    return { text: 'CHECK completed.' };
  },
});
