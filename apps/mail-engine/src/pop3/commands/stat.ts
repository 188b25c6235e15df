import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/** STAT (RFC 1939 section 5): count and octets of the messages not marked deleted. */
export const stat = defineCommand({
  name: 'STAT',
  states: [Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    const { count, octets } = s.transaction!.maildrop.stat();
    await s.ok(`${count} ${octets}`);
  },
});
