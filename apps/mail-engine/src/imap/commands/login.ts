import { no } from '../errors.js';
import { astring } from './args.js';
import { defineCommand, NOT_AUTHENTICATED } from './types.js';

/**
 * RFC 3501 6.2.3. Response codes from RFC 5530. The reasons for a refusal are not told apart to
 * the client except "IMAP is off for this mailbox", which only someone with the password sees.
 */
export const loginCommand = defineCommand({
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  args: [astring('user name'), astring('password', { secret: true })],
  notify: 'none',
  async handle(session, [user, password]) {
    if (!session.plaintextLoginAllowed()) throw no('Plaintext authentication is disabled on this connection.', 'PRIVACYREQUIRED');
    const result = await session.engine.auth.login(user, password, { protocol: 'imap', ip: session.remoteAddress });
    if (!result.ok) {
      session.loginFailed();
      if (result.reason === 'disabled') throw no('IMAP access is disabled for this account; contact your administrator.', 'CONTACTADMIN');
      throw no('Authentication failed.', 'AUTHENTICATIONFAILED');
    }
    if (!session.authenticate(result.account)) throw no('Too many connections for this user.', 'LIMIT');
    return { text: 'Logged in', code: { name: 'CAPABILITY', args: session.capabilities().join(' ') } };
  },
});
