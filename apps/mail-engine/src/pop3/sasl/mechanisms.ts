/**
 * The server side of the SASL mechanisms that carry a password: PLAIN (RFC 4616) and LOGIN
 * (draft-murchison-sasl-login). Each exchange is a small state machine over decoded bytes: it asks
 * for more (a challenge) or ends with the credentials or a reason to refuse. Nothing here knows
 * POP3, base64 or the network, so IMAP AUTHENTICATE and SMTP AUTH could share it as is.
 */

/** What the server does next in an exchange. */
export type SaslStep =
  /** Send this challenge (the protocol encodes it) and feed the client's answer to `next`. */
  | { readonly kind: 'challenge'; readonly challenge: Buffer }
  /** The exchange is complete: check these credentials. */
  | { readonly kind: 'credentials'; readonly username: string; readonly password: string; readonly authzid?: string }
  /**
   * The client's message is unusable. `malformed`: not the mechanism's syntax (wrong number of
   * fields, empty name or password, not UTF-8); `authzid`: asks to act as another identity, which
   * we do not support.
   */
  | { readonly kind: 'refused'; readonly reason: 'malformed' | 'authzid' };

export interface SaslExchange {
  /** `initial`: the initial response (SASL-IR, RFC 4959 / RFC 5034 section 4), undefined when none was sent. */
  start(initial: Buffer | undefined): SaslStep;
  /** The client's answer to the last challenge. */
  next(response: Buffer): SaslStep;
}

export interface SaslMechanism {
  /** Upper-case name, as advertised. */
  readonly name: string;
  create(): SaslExchange;
}

const EMPTY = Buffer.alloc(0);
const NUL = 0;

/** UTF-8 text, or undefined when the bytes are not valid UTF-8 (RFC 4616 requires it). */
function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * PLAIN message: [authzid] NUL authcid NUL passwd. An authorization identity is accepted only
 * when it is empty or names the same account as the authentication identity (case-insensitively:
 * addresses are compared normalised later anyway); proxy logins are not supported.
 */
export function parsePlainMessage(message: Buffer): SaslStep {
  const first = message.indexOf(NUL);
  const second = first < 0 ? -1 : message.indexOf(NUL, first + 1);
  if (first < 0 || second < 0 || message.indexOf(NUL, second + 1) >= 0) return { kind: 'refused', reason: 'malformed' };
  const authzid = utf8(message.subarray(0, first));
  const username = utf8(message.subarray(first + 1, second));
  const password = utf8(message.subarray(second + 1));
  if (authzid === undefined || username === undefined || password === undefined) return { kind: 'refused', reason: 'malformed' };
  if (username === '' || password === '') return { kind: 'refused', reason: 'malformed' };
  if (authzid !== '' && authzid.toLowerCase() !== username.toLowerCase()) return { kind: 'refused', reason: 'authzid' };
  return authzid === '' ? { kind: 'credentials', username, password } : { kind: 'credentials', username, password, authzid };
}

export const PLAIN: SaslMechanism = {
  name: 'PLAIN',
  create() {
    let asked = false;
    return {
      start(initial) {
        if (initial !== undefined) return parsePlainMessage(initial);
        asked = true;
        // RFC 4616: the server sends an empty challenge and the client its message.
        return { kind: 'challenge', challenge: EMPTY };
      },
      next(response) {
        if (!asked) return { kind: 'refused', reason: 'malformed' };
        asked = false;
        return parsePlainMessage(response);
      },
    };
  },
};

const USERNAME_CHALLENGE = Buffer.from('Username:');
const PASSWORD_CHALLENGE = Buffer.from('Password:');

/**
 * LOGIN: the server asks "Username:" then "Password:"; an initial response is the user name
 * (what Outlook and Thunderbird send with SASL-IR).
 */
export const LOGIN: SaslMechanism = {
  name: 'LOGIN',
  create() {
    let username: string | undefined;
    let done = false;
    const takeUsername = (bytes: Buffer): SaslStep => {
      const name = utf8(bytes);
      if (name === undefined || name === '') return { kind: 'refused', reason: 'malformed' };
      username = name;
      return { kind: 'challenge', challenge: PASSWORD_CHALLENGE };
    };
    return {
      start(initial) {
        if (initial !== undefined) return takeUsername(initial);
        return { kind: 'challenge', challenge: USERNAME_CHALLENGE };
      },
      next(response) {
        if (done) return { kind: 'refused', reason: 'malformed' };
        if (username === undefined) return takeUsername(response);
        done = true;
        const password = utf8(response);
        if (password === undefined || password === '') return { kind: 'refused', reason: 'malformed' };
        return { kind: 'credentials', username, password };
      },
    };
  },
};

/** The mechanisms offered, in the order CAPA lists them. */
export const PASSWORD_MECHANISMS: readonly SaslMechanism[] = [PLAIN, LOGIN];

/** A mechanism by its name, case-insensitively (RFC 4422: mechanism names are case-insensitive). */
export function findMechanism(name: string, mechanisms: readonly SaslMechanism[] = PASSWORD_MECHANISMS): SaslMechanism | undefined {
  const upper = name.toUpperCase();
  return mechanisms.find((m) => m.name === upper);
}
