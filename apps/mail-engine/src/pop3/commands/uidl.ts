import { optionalMessageNumber } from '../args.js';
import { map } from '../iterables.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/**
 * UIDL [msg] (RFC 1939 section 7). The unique-id is the store's message id, a decimal string: it
 * is assigned once when the message is stored in the folder, never reused, and never changes while
 * the message stays there, so clients that "leave mail on the server" recognise it across sessions.
 * (The SHA-256 would not do: two deliveries of the same bytes would share it. The IMAP UID would
 * not either on its own: it is only unique together with UIDVALIDITY.) It is 1 to 20 digits,
 * within the 1-70 characters of 0x21-0x7E that RFC 1939 allows.
 */
export const uidl = defineCommand({
  name: 'UIDL',
  states: [Pop3State.Transaction],
  args: optionalMessageNumber,
  capability: () => 'UIDL',
  async handle(s, n) {
    const { maildrop } = s.transaction!;
    if (n !== undefined) {
      const m = maildrop.get(n);
      return m ? s.ok(`${n} ${m.id}`) : s.err(NO_SUCH_MESSAGE);
    }
    await s.multiline('', map(maildrop.entries(), ([i, m]) => `${i} ${m.id}`));
  },
});
