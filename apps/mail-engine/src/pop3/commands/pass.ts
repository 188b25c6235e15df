import { restOfLine } from '../args.js';
import { logIn } from '../login.js';
import { Pop3State } from '../state.js';
import { defineCommand } from './command.js';
import { PLAINTEXT_DISALLOWED } from './replies.js';

/**
 * PASS password (RFC 1939 section 7): the password for the name USER gave; see login.ts for what
 * a login checks and takes.
 */
export const pass = defineCommand({
  name: 'PASS',
  states: [Pop3State.Authorization],
  args: restOfLine('PASS requires a password.'),
  secretArgs: true,
  async handle(s, password) {
    if (!s.plaintextAllowed()) return s.err(PLAINTEXT_DISALLOWED);
    const user = s.pendingUser;
    s.pendingUser = undefined; // after PASS, success or not, a new USER is needed
    if (user === undefined) return s.err('No user name given: send USER first.');
    await logIn(s, user, password, 'USER/PASS');
  },
});
