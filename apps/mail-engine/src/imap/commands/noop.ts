import { ANY_STATE, defineCommand } from './types.js';

/** RFC 3501 6.1.2: does nothing but lets the dispatcher poll the selected mailbox for changes. */
export const noopCommand = defineCommand({
  name: 'NOOP',
  states: ANY_STATE,
  args: [],
  notify: 'poll',
  async handle() {
    return { text: 'NOOP completed.' };
  },
});
