import { bad, no } from '../errors.js';
import { reportRecentChange } from '../notifications.js';
import { statusResponse, untagged } from '../protocol/compiler.js';
import { formatNumbers, SequenceSetError } from '../sequence-set.js';
import { mailbox, sequenceSet } from './args.js';
import { defineCommand, SELECTED, type CommandSpec, type Completion, type SessionApi } from './types.js';

/**
 * RFC 3501 6.4.7 COPY, RFC 6851 MOVE, and their UID variants, with RFC 4315 COPYUID. A copy shares
 * the stored bytes and is charged to the quota (`NO [OVERQUOTA]`, nothing copied); a move keeps
 * the usage and reports the source messages as expunged (EXPUNGE, or VANISHED with QRESYNC).
 */
function copyLike(kind: 'COPY' | 'MOVE', byUid: boolean) {
  const name = byUid ? `UID ${kind}` : kind;
  return defineCommand({
    name,
    states: SELECTED,
    args: [sequenceSet(), mailbox('destination mailbox')],
    async handle(session: SessionApi, [set, target]): Promise<Completion> {
      const folder = session.selected!;
      const store = session.engine.store;
      if (kind === 'MOVE' && folder.readOnly) throw no('Mailbox is read-only.', 'READ-ONLY');
      let ranges;
      try {
        ranges = folder.resolve(set, byUid);
      } catch (err) {
        if (err instanceof SequenceSetError) throw bad(err.message);
        throw err;
      }
      const dest = await store.getFolder(session.account!.id, target);
      if (!dest) throw no('Mailbox does not exist.', 'TRYCREATE');
      const uids = folder.uidsOf(ranges);
      if (uids.length === 0) return { text: byUid ? 'No messages found.' : `${name} completed.` };
      const result = kind === 'COPY' ? await store.copyMessages(folder.id, uids, dest.id) : await store.moveMessages(folder.id, uids, dest.id);
      if (result.status === 'over_quota') throw no('Quota exceeded (mailbox for user is full).', 'OVERQUOTA');
      if (result.status !== 'done') throw no('Mailbox does not exist.', 'TRYCREATE');
      if (dest.id === folder.id) folder.markChanged();
      if (result.pairs.length === 0) return { text: `${name} completed.` };
      const copyuid = `${result.uidvalidity} ${formatNumbers(result.pairs.map((p) => p[0]))} ${formatNumbers(result.pairs.map((p) => p[1]))}`;
      if (kind === 'COPY') return { text: `${name} completed.`, code: { name: 'COPYUID', args: copyuid } };
      // RFC 6851 4.3: COPYUID in an untagged OK before the expunges.
      const log = session.logResponses;
      await session.send(statusResponse('*', 'OK', 'Moved UIDs.', { name: 'COPYUID', args: copyuid }, log));
      const moved = result.pairs.map((p) => p[0]);
      if (session.enabled.has('QRESYNC')) {
        folder.removeOwn(moved);
        await session.send(untagged((b) => b.atom('VANISHED').atom(formatNumbers(moved)), log));
      } else {
        for (const seq of folder.removeOwn(moved)) await session.send(untagged((b) => b.number(seq).atom('EXPUNGE'), log));
      }
      await reportRecentChange(session);
      return { text: `${name} completed.` };
    },
  });
}

export const copyCommand: CommandSpec = copyLike('COPY', false);
export const uidCopyCommand: CommandSpec = copyLike('COPY', true);
export const moveCommand: CommandSpec = copyLike('MOVE', false);
export const uidMoveCommand: CommandSpec = copyLike('MOVE', true);
