/**
 * Command line limit: RFC 2449 section 4 caps command lines at 255 octets including CRLF. A longer
 * line gets "-ERR Line too long." (it counts as a bad command) and the session goes on with the
 * next line, so a client with an unusually long password learns why instead of being cut off.
 * The AUTH command line itself, initial response included, is a command line like any other
 * (RFC 5034 section 4: a client whose initial response would not fit sends "AUTH mech" and
 * answers the empty challenge instead).
 */
export const MAX_COMMAND_LINE_OCTETS = 255;

/**
 * A client's answer to a SASL challenge (RFC 5034 section 4 sets no limit): generous for a long
 * address and password in base64, still bounded.
 */
export const MAX_SASL_LINE_OCTETS = 4096;

/** Bad commands (unknown, wrong state, bad arguments, too long) in a row before we hang up. */
export const MAX_BAD_COMMANDS = 20;

/** Failed logins on one connection before we hang up (the Authenticator already delays each). */
export const MAX_AUTH_FAILURES = 5;

/** Received lines waiting for processing before we stop reading from the socket. */
export const MAX_QUEUED_LINES = 64;

/** How long a closing connection may linger for the peer's FIN before it is destroyed. */
export const CLOSE_GRACE_MS = 5_000;

/** \Seen marks from RETR are written in batches of this many (see seen-marks.ts)... */
export const SEEN_BATCH = 256;
/** ...or this long after the first pending one, whichever comes first; and always at the session's end. */
export const SEEN_DELAY_MS = 1_000;

/** Read-ahead of small messages for in-order downloads (read-ahead.ts). */
export const READ_AHEAD = {
  /** The store's chunk size: larger messages stream chunk by chunk. */
  maxMessageBytes: 256 * 1024,
  maxMessages: 64,
  /** Per store query; a session holds at most about twice this. */
  maxBytes: 512 * 1024,
} as const;
