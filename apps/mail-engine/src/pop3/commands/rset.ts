import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/** RSET (RFC 1939 section 5): unmarks every message marked deleted in this session. */
export const rset = defineCommand({
  name: 'RSET',
  states: [Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    const { maildrop } = s.transaction!;
    maildrop.reset();
    const { count, octets } = maildrop.stat();
    await s.ok(`maildrop has ${count} messages (${octets} octets)`);
  },
});
