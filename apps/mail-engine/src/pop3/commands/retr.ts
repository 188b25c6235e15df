import { messageNumber } from '../args.js';
import { sendMessage } from '../send-message.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/**
 * RETR msg (RFC 1939 section 5): the whole message, byte-stuffed. Once it is all sent, and before
 * the terminating ".", the message is flagged \Seen in the store, so IMAP clients of the same
 * mailbox see it as read as soon as the POP3 client has it. A transfer that fails leaves it unseen.
 */
export const retr = defineCommand({
  name: 'RETR',
  states: [Pop3State.Transaction],
  args: messageNumber,
  async handle(s, n) {
    const t = s.transaction!;
    const m = t.maildrop.get(n);
    if (!m) return s.err(NO_SUCH_MESSAGE);
    const markSeen = async (): Promise<void> => {
      try {
        await s.engine.store.updateFlags(t.folderId, [m.uid], 'add', ['\\Seen']);
      } catch (err) {
        // The client has its message; a missed \Seen is not worth failing the RETR over.
        s.log.warn('could not flag a retrieved message \\Seen', { err, uid: m.uid });
      }
    };
    await sendMessage(s, m, { status: `${m.size} octets`, beforeTerminator: markSeen });
  },
});
