/** An HTTP request line: someone pointed a browser or an HTTP client at the POP3 port. */
export function looksLikeHttp(line: string): boolean {
  return /^[A-Z]{3,7} \S+ HTTP\/\d(\.\d)?$/.test(line);
}

/**
 * POP3 keywords from RFC 1939, RFC 2449, RFC 2595, RFC 5034, RFC 6856 and common non-standard
 * ones (IANA's POP3 extension registry and what clients send in the wild).
 */
const KNOWN_KEYWORDS = new Set([
  'APOP', 'AUTH', 'CAPA', 'DELE', 'LANG', 'LAST', 'LIST', 'NOOP', 'PASS', 'QUIT', 'RETR', 'RPOP',
  'RSET', 'STAT', 'STLS', 'TOP', 'UIDL', 'USER', 'UTF8', 'XTND', 'XSENDER',
]);

/**
 * The keyword of an unknown command as it may appear in a log line: only a known POP3 word. Never
 * the arguments (they may hold a password) and never an arbitrary word either: a line that is not a
 * command may be a credential, e.g. a SASL response sent after the server already refused AUTH.
 */
export function loggableKeyword(keyword: string): string {
  const upper = keyword.toUpperCase();
  return KNOWN_KEYWORDS.has(upper) ? upper : '(not a POP3 keyword)';
}
