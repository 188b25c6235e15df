import { messageNumber } from '../args.js';
import { sendMessage } from '../send-message.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/**
 * RETR msg (RFC 1939 section 5): the whole message, byte-stuffed. Once every byte has been read
 * and checked, the message is marked \Seen; the marks are written to the store in batches, about a
 * second later at most and at the end of the session (seen-marks.ts), so IMAP clients of the same
 * mailbox see it as read; a message that already had \Seen at login is not written again. A
 * transfer that fails leaves it unseen. Small messages of an in-order
 * download come from the read-ahead (read-ahead.ts) instead of a store query each.
 */
export const retr = defineCommand({
  name: 'RETR',
  states: [Pop3State.Transaction],
  args: messageNumber,
  async handle(s, n) {
    const t = s.transaction!;
    const m = t.maildrop.get(n);
    if (!m) return s.err(NO_SUCH_MESSAGE);
    const bytes = await t.readAhead.take(n);
    const seen = () => {
      if (t.maildrop.markSeen(n)) t.seen.add(m.uid);
    };
    await sendMessage(s, m, { status: `${m.size} octets`, beforeTerminator: seen, bytes });
  },
});
