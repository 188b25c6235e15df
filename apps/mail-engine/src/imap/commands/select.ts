import { no } from '../errors.js';
import { flagListText, statusResponse, untagged } from '../protocol/compiler.js';
import { SelectedFolder } from '../selected-folder.js';
import { mailbox } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type SessionApi } from './types.js';

/**
 * RFC 3501 6.3.1 (SELECT) and 6.3.2 (EXAMINE). A SELECT while a mailbox is selected deselects it
 * first, so a failed SELECT leaves the session authenticated with nothing selected.
 */
function selectLike(name: 'SELECT' | 'EXAMINE', readOnly: boolean) {
  return defineCommand({
    name,
    states: AUTHENTICATED,
    args: [mailbox()],
    notify: 'none',
    async handle(session: SessionApi, [folderName]) {
      session.deselect();
      const account = session.account!;
      const store = session.engine.store;
      const info = await store.getFolder(account.id, folderName);
      if (!info) throw no('Mailbox does not exist.', 'NONEXISTENT');
      const { folder, summary } = await SelectedFolder.open(store, info, readOnly);
      const log = session.logResponses;
      try {
        await session.send(untagged((b) => b.atom('FLAGS').flags(summary.flags), log));
        const permanent = readOnly ? [] : [...summary.flags, '\\*'];
        await session.send(
          statusResponse('*', 'OK', readOnly ? 'No permanent flags permitted.' : 'Flags permitted.', { name: 'PERMANENTFLAGS', args: flagListText(permanent) }, log),
        );
        await session.send(untagged((b) => b.number(summary.exists).atom('EXISTS'), log));
        await session.send(untagged((b) => b.number(0).atom('RECENT'), log));
        if (summary.firstUnseen !== undefined) {
          await session.send(statusResponse('*', 'OK', `Message ${summary.firstUnseen} is first unseen.`, { name: 'UNSEEN', args: String(summary.firstUnseen) }, log));
        }
        await session.send(statusResponse('*', 'OK', 'UIDs valid.', { name: 'UIDVALIDITY', args: String(summary.uidvalidity) }, log));
        await session.send(statusResponse('*', 'OK', 'Predicted next UID.', { name: 'UIDNEXT', args: String(summary.uidnext) }, log));
      } catch (err) {
        folder.close();
        throw err;
      }
      session.select(folder);
      return { text: `${name} completed.`, code: { name: readOnly ? 'READ-ONLY' : 'READ-WRITE' } };
    },
  });
}

export const selectCommand: CommandSpec = selectLike('SELECT', false);
export const examineCommand: CommandSpec = selectLike('EXAMINE', true);
