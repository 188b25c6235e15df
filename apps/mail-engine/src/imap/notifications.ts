/**
 * Untagged mailbox updates for the selected folder, gathered from the store and written in one
 * go. The coalescing happens in SelectedFolder.poll: however many changes were notified, the
 * client gets one EXISTS with the final count, one FETCH per message whose flags changed (with
 * MODSEQ once CONDSTORE is on), and EXPUNGE (VANISHED with QRESYNC) only when `expunges` allows.
 */
import type { NotifyPolicy, SessionApi } from './commands/types.js';
import { flagListText, statusResponse, untagged } from './protocol/compiler.js';
import { formatNumbers } from './sequence-set.js';

/** `* FLAGS` and `* OK [PERMANENTFLAGS]` when new keywords appeared in the mailbox. */
export async function announceKeywords(session: SessionApi, flags: Iterable<string>): Promise<void> {
  const folder = session.selected;
  const all = folder?.learnKeywords(flags);
  if (!folder || !all) return;
  const log = session.logResponses;
  await session.send(untagged((b) => b.atom('FLAGS').flags(all), log));
  const permanent = folder.readOnly ? [] : [...all, '\\*'];
  await session.send(statusResponse('*', 'OK', 'Flags permitted.', { name: 'PERMANENTFLAGS', args: flagListText(permanent) }, log));
}

/** `* n RECENT` after this session's own expunges (EXPUNGE, MOVE) when the count changed. */
export async function reportRecentChange(session: SessionApi): Promise<void> {
  const n = session.selected?.takeRecentChange();
  if (n !== undefined) await session.send(untagged((b) => b.number(n).atom('RECENT'), session.logResponses));
}

export async function sendFolderUpdates(session: SessionApi, policy: NotifyPolicy, expunges: boolean): Promise<void> {
  const folder = session.selected;
  if (!folder || policy === 'none') return;
  const log = session.logResponses;
  const updates = await folder.poll(session.engine.store, { force: policy === 'poll', expunges, vanished: session.enabled.has('QRESYNC') });
  for (const u of updates) {
    switch (u.type) {
      case 'expunge':
        await session.send(untagged((b) => b.number(u.seq).atom('EXPUNGE'), log));
        break;
      case 'vanished':
        await session.send(untagged((b) => b.atom('VANISHED').atom(formatNumbers(u.uids)), log));
        break;
      case 'exists':
        await session.send(untagged((b) => b.number(u.count).atom('EXISTS'), log));
        break;
      case 'recent':
        await session.send(untagged((b) => b.number(u.count).atom('RECENT'), log));
        break;
      case 'flags':
        await announceKeywords(session, u.flags);
        await session.send(
          untagged(
            (b) =>
              b
                .number(u.seq)
                .atom('FETCH')
                .list((l) => {
                  l.atom('UID').number(u.uid).atom('FLAGS').flags(folder.flagsOf(u.uid, u.flags));
                  if (session.condstore) l.atom('MODSEQ').list((m) => m.number(u.modseq));
                }),
            log,
          ),
        );
        break;
      case 'deleted':
        session.closeAfterReply('Selected mailbox was deleted, have to disconnect.');
        break;
    }
  }
}
