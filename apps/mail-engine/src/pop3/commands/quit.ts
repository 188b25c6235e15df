import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/**
 * QUIT (RFC 1939 sections 4 and 6). In AUTHORIZATION it only says goodbye. In TRANSACTION the
 * session enters UPDATE: the messages marked with DELE are removed in one store call, the maildrop
 * lock is released, and only then does the client get its answer, so it may reconnect at once.
 */
export const quit = defineCommand({
  name: 'QUIT',
  states: [Pop3State.Authorization, Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    const t = s.transaction;
    try {
      if (s.state === Pop3State.Authorization || !t) return await s.ok('Bye');
      s.enterUpdate();
      // \Seen first, so a retrieved message kept on the server is read for IMAP clients too.
      await t.seen.flush();
      const uids = t.maildrop.deletedUids();
      let removed = true;
      if (uids.length > 0) {
        try {
          // `uids` is never empty here: without it expunge would empty the whole folder.
          const gone = await s.engine.store.expunge(t.folderId, { uids, onlyDeleted: false });
          s.log.info('messages removed', { requested: uids.length, removed: gone.length });
        } catch (err) {
          removed = false;
          s.log.error('could not remove the deleted messages', { err, uids: uids.length });
        }
      }
      await s.releaseMaildrop();
      if (removed) await s.ok('Bye');
      else await s.err('[SYS/TEMP] Some deleted messages were not removed, try again later.');
    } finally {
      s.end();
    }
  },
});
