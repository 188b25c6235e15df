import { messageNumber } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/** DELE msg (RFC 1939 section 5): marks the message; it is removed only at QUIT. No renumbering. */
export const dele = defineCommand({
  name: 'DELE',
  states: [Pop3State.Transaction],
  args: messageNumber,
  async handle(s, n) {
    if (!s.transaction!.maildrop.markDeleted(n)) return s.err(NO_SUCH_MESSAGE);
    await s.ok(`message ${n} deleted`);
  },
});
