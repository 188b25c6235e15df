import { noArgs } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';

/** NOOP (RFC 1939 section 5). */
export const noop = defineCommand({
  name: 'NOOP',
  states: [Pop3State.Transaction],
  args: noArgs,
  async handle(s) {
    await s.ok();
  },
});
