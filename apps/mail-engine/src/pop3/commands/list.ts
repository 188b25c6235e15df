import { optionalMessageNumber } from '../args.js';
import { map } from '../iterables.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { NO_SUCH_MESSAGE } from './replies.js';

/** LIST [msg] (RFC 1939 section 5): sizes in octets, exactly what RETR sends before byte-stuffing. */
export const list = defineCommand({
  name: 'LIST',
  states: [Pop3State.Transaction],
  args: optionalMessageNumber,
  async handle(s, n) {
    const { maildrop } = s.transaction!;
    if (n !== undefined) {
      const m = maildrop.get(n);
      return m ? s.ok(`${n} ${m.size}`) : s.err(NO_SUCH_MESSAGE);
    }
    const { count, octets } = maildrop.stat();
    await s.multiline(`${count} messages (${octets} octets)`, map(maildrop.entries(), ([i, m]) => `${i} ${m.size}`));
  },
});
