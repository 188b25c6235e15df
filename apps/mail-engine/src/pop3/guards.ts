/** An HTTP request line: someone pointed a browser or an HTTP client at the POP3 port. */
export function looksLikeHttp(line: string): boolean {
  return /^[A-Z]{3,7} \S+ HTTP\/\d(\.\d)?$/.test(line);
}

/** The keyword as it may appear in a log line (never the arguments: they may hold a password). */
export function loggableKeyword(keyword: string): string {
  return /^[A-Za-z]{1,16}$/.test(keyword) ? keyword.toUpperCase() : '(not a keyword)';
}
