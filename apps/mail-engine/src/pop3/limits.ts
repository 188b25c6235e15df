/**
 * Command line limit: RFC 2449 section 4 caps command lines at 255 octets including CRLF. A longer
 * line gets "-ERR Line too long." (it counts as a bad command) and the session goes on with the
 * next line, so a client with an unusually long password learns why instead of being cut off.
 * SASL (a later issue) may need a larger limit for its continuation lines.
 */
export const MAX_COMMAND_LINE_OCTETS = 255;

/** Bad commands (unknown, wrong state, bad arguments, too long) in a row before we hang up. */
export const MAX_BAD_COMMANDS = 20;

/** Failed logins on one connection before we hang up (the Authenticator already delays each). */
export const MAX_AUTH_FAILURES = 5;

/** Received lines waiting for processing before we stop reading from the socket. */
export const MAX_QUEUED_LINES = 64;

/** How long a closing connection may linger for the peer's FIN before it is destroyed. */
export const CLOSE_GRACE_MS = 5_000;
