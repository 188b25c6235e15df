/**
 * An SMTP rejection with its reply code and RFC 3463 enhanced status code. smtp-server reads
 * `responseCode`; the enhanced code travels at the start of the text and enhanced-codes.ts makes
 * sure the library does not add a second, generic one.
 */
export class SmtpError extends Error {
  readonly responseCode: number;

  constructor(code: number, enhanced: string, text: string) {
    super(`${enhanced} ${text}`);
    this.name = 'SmtpError';
    this.responseCode = code;
  }
}

export const REPLIES = {
  noSuchUser: () => new SmtpError(550, '5.1.1', 'Recipient address rejected: no such user here'),
  relayDenied: () => new SmtpError(554, '5.7.1', 'Relay access denied'),
  badRecipient: () => new SmtpError(501, '5.1.3', 'Bad recipient address syntax'),
  receiveDisabled: () => new SmtpError(550, '5.2.1', 'Mailbox unavailable: it does not accept mail'),
  mailboxFullTemp: () => new SmtpError(452, '4.2.2', 'Mailbox full, try again later'),
  mailboxFull: () => new SmtpError(552, '5.2.2', 'Mailbox full: this message would exceed the quota'),
  loop: (hops: number) => new SmtpError(554, '5.4.6', `Too many hops (${hops} Received headers): mail loop?`),
  tooBig: (limit: number) => new SmtpError(552, '5.3.4', `Message exceeds the size limit of ${limit} bytes`),
  tempFailure: () => new SmtpError(451, '4.3.0', 'Temporary local problem, please try again later'),
  tooManyRecipients: (max: number) => new SmtpError(452, '4.5.3', `Too many recipients (at most ${max} per message)`),
} as const;
