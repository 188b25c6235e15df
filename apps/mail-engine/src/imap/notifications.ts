/**
 * Untagged mailbox updates (EXISTS, unsolicited FETCH FLAGS) for the selected folder, gathered
 * from the store and written in one go. The coalescing happens in SelectedFolder.poll: however
 * many changes were notified, the client gets one EXISTS with the final count and one FETCH per
 * message whose flags changed.
 */
import type { NotifyPolicy, SessionApi } from './commands/types.js';
import { untagged } from './protocol/compiler.js';

export async function sendFolderUpdates(session: SessionApi, policy: NotifyPolicy): Promise<void> {
  const folder = session.selected;
  if (!folder || policy === 'none') return;
  const updates = await folder.poll(session.engine.store, policy === 'poll');
  for (const u of updates) {
    if (u.type === 'exists') {
      await session.send(untagged((b) => b.number(u.count).atom('EXISTS'), session.logResponses));
    } else {
      await session.send(untagged((b) => b.number(u.seq).atom('FETCH').list((l) => l.atom('UID').number(u.uid).atom('FLAGS').flags(u.flags)), session.logResponses));
    }
  }
}
