import { untagged } from '../protocol/compiler.js';
import { ANY_STATE, defineCommand } from './types.js';

/** RFC 3501 6.1.1. */
export const capabilityCommand = defineCommand({
  name: 'CAPABILITY',
  states: ANY_STATE,
  args: [],
  async handle(session) {
    await session.send(
      untagged((b) => {
        b.atom('CAPABILITY');
        for (const c of session.capabilities()) b.atom(c);
      }, session.logResponses),
    );
    return { text: 'CAPABILITY completed.' };
  },
});
