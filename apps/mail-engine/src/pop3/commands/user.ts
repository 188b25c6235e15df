import { requiredName } from '../args.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { PLAINTEXT_DISALLOWED } from './replies.js';

/** USER name (RFC 1939 section 7). Refused before the password is sent when plaintext is not allowed. */
export const user = defineCommand({
  name: 'USER',
  states: [Pop3State.Authorization],
  args: requiredName('USER requires a user name.'),
  capability: (s) => (s.plaintextAllowed() ? 'USER' : undefined),
  async handle(s, name) {
    if (!s.plaintextAllowed()) {
      s.pendingUser = undefined;
      return s.err(PLAINTEXT_DISALLOWED);
    }
    // Accepted whatever the name: saying here whether a mailbox exists would let anyone probe.
    s.pendingUser = name;
    await s.ok();
  },
});
