import { messageAndLineCount } from '../args.js';
import { sendMessage } from '../send-message.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/**
 * TOP msg n (RFC 1939 section 7): the header, the blank line, and the first n body lines. Reading
 * stops as soon as they are sent. Unlike RETR it does not flag the message \Seen.
 */
export const top = defineCommand({
  name: 'TOP',
  states: [Pop3State.Transaction],
  args: messageAndLineCount,
  capability: () => 'TOP',
  async handle(s, { msg, lines }) {
    const m = s.transaction!.maildrop.get(msg);
    if (!m) return s.err(NO_SUCH_MESSAGE);
    await sendMessage(s, m, { status: 'top of message follows', bodyLines: lines });
  },
});
