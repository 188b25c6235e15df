import { authArgs } from '../args.js';
import { logIn } from '../login.js';
import { decodeBase64 } from '../sasl/base64.js';
import { findMechanism, PASSWORD_MECHANISMS, type SaslStep } from '../sasl/mechanisms.js';
import { Pop3State } from '../state.js';
import { defineCommand, type CommandSession } from './command.js';
import { PLAINTEXT_DISALLOWED } from './replies.js';

const CANCEL = '*';

/** The mechanisms this connection may use: both carry a password, so only where a password may travel. */
function offered(s: CommandSession): readonly string[] {
  return s.plaintextAllowed() ? PASSWORD_MECHANISMS.map((m) => m.name) : [];
}

/**
 * AUTH (RFC 5034): SASL login with PLAIN or LOGIN, with or without an initial response ("=" for
 * an empty one). Challenges go out as "+ base64"; the client answers a line of base64, or "*" to
 * cancel. Bad base64 and malformed mechanism messages end the exchange with -ERR and count as a
 * failed login on this connection, as a wrong password does (the Authenticator counts the latter
 * towards its lockout too). "AUTH" alone lists the mechanisms, one per line, as Dovecot does for
 * old Outlook versions that discover them that way instead of with CAPA.
 */
export const auth = defineCommand({
  name: 'AUTH',
  states: [Pop3State.Authorization],
  args: authArgs,
  secretArgs: true,
  capability: (s) => {
    const mechanisms = offered(s);
    return mechanisms.length > 0 ? `SASL ${mechanisms.join(' ')}` : undefined;
  },
  async handle(s, { mechanism: name, initialResponse }) {
    if (name === undefined) return s.multiline('', offered(s));
    const mechanism = findMechanism(name);
    if (!mechanism) return s.err('Unsupported authentication mechanism.');
    if (!s.plaintextAllowed()) return s.err(PLAINTEXT_DISALLOWED);
    s.pendingUser = undefined;
    s.log.debug('SASL exchange', { mechanism: mechanism.name, initialResponse: initialResponse !== undefined });

    const exchange = mechanism.create();
    let step: SaslStep;
    if (initialResponse === undefined) {
      step = exchange.start(undefined);
    } else {
      const initial = initialResponse === '=' ? Buffer.alloc(0) : decodeBase64(initialResponse);
      if (!initial) return refuse(s, 'Invalid base64 data in the initial response.');
      step = exchange.start(initial);
    }
    while (step.kind === 'challenge') {
      const line = await s.continuation(step.challenge.toString('base64'));
      if (line === undefined) return refuse(s, 'SASL response too long.');
      // RFC 5034 section 4: the server MUST reject the AUTH command after a "*".
      if (line === CANCEL) return s.err('Authentication cancelled.');
      const response = decodeBase64(line);
      if (!response) return refuse(s, 'Invalid base64 data.');
      step = exchange.next(response);
    }
    if (step.kind === 'refused') {
      return refuse(s, step.reason === 'authzid' ? '[AUTH] Logging in as another user is not supported.' : `[AUTH] Malformed ${mechanism.name} response.`);
    }
    await logIn(s, step.username, step.password, `SASL ${mechanism.name}`);
  },
});

/** A failed exchange that never reached the password check: counts as a failed login on this connection. */
async function refuse(s: CommandSession, text: string): Promise<void> {
  const hangUp = s.authFailed();
  await s.err(text);
  if (hangUp) s.end();
}
