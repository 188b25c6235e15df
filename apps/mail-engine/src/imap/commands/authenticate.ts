import { bad, no } from '../errors.js';
import { ResponseBuilder } from '../protocol/compiler.js';
import { atom, type ArgSpec } from './args.js';
import { defineCommand, NOT_AUTHENTICATED, type Completion, type SessionApi } from './types.js';

/** SASL-IR (RFC 4959): the initial response, base64 or "=" for empty; secret in logs. */
const initialResponse: ArgSpec<string> = { ...atom('initial response', { optional: true, secret: true }), read: (t) => (t.type === 'atom' ? t.value : t.type === 'string' ? t.value : '') };

class Cancelled extends Error {}

/** `+ base64` (or `+ ` for an empty challenge), then the client's line: base64, or "*" to cancel. */
async function challenge(session: SessionApi, text: string): Promise<Buffer> {
  await session.send(new ResponseBuilder(session.logResponses).raw(`+ ${Buffer.from(text).toString('base64')}`).end());
  await session.flush();
  const line = await session.readLine();
  if (line === undefined) throw new Cancelled();
  return decode(line.toString('latin1').trim());
}

function decode(b64: string): Buffer {
  if (b64 === '*') throw new Cancelled();
  if (b64 === '=') return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw bad('Invalid base64 data in the SASL response.');
  return Buffer.from(b64, 'base64');
}

/**
 * RFC 3501 6.2.2 AUTHENTICATE with PLAIN (RFC 4616) and LOGIN, and SASL-IR (RFC 4959). The same
 * rules as LOGIN: refused without TLS unless the configuration allows plaintext, failures delayed
 * and counted by the shared login throttle, secrets never logged.
 */
export const authenticateCommand = defineCommand({
  name: 'AUTHENTICATE',
  states: NOT_AUTHENTICATED,
  args: [atom('mechanism'), initialResponse],
  notify: 'none',
  async handle(session, [mechanism, ir]): Promise<Completion> {
    if (mechanism !== 'PLAIN' && mechanism !== 'LOGIN') throw no(`Unsupported authentication mechanism ${mechanism}.`);
    if (!session.plaintextLoginAllowed()) throw no('Plaintext authentication is disallowed on non-secure (SSL/TLS) connections.', 'PRIVACYREQUIRED');
    let user: string;
    let password: string;
    try {
      if (mechanism === 'PLAIN') {
        const data = ir !== undefined ? decode(ir) : await challenge(session, '');
        const parts = data.toString('utf8').split('\0');
        if (parts.length !== 3) throw bad('Invalid PLAIN response.');
        const [authz, authc, pass] = parts as [string, string, string];
        if (authz !== '' && authz.toLowerCase() !== authc.toLowerCase()) throw no('Authorization as another user is not allowed.', 'AUTHORIZATIONFAILED');
        user = authc;
        password = pass;
      } else {
        user = (ir !== undefined ? decode(ir) : await challenge(session, 'Username:')).toString('utf8');
        password = (await challenge(session, 'Password:')).toString('utf8');
      }
    } catch (err) {
      if (err instanceof Cancelled) throw bad('Authentication aborted by client.');
      throw err;
    }
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
