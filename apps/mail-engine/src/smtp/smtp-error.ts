/**
 * An SMTP rejection with its reply code and RFC 3463 enhanced status code. smtp-server reads
 * `responseCode`; the enhanced code travels at the start of the text and our connection class
 * (connection.ts) makes sure the library does not add a second, generic one.
 */
export class SmtpError extends Error {
  readonly responseCode: number;
  readonly enhanced: string;
  readonly text: string;

  constructor(code: number, enhanced: string, text: string) {
    super(`${enhanced} ${text}`);
    this.name = 'SmtpError';
    this.responseCode = code;
    this.enhanced = enhanced;
    this.text = text;
  }

  get temporary(): boolean {
    return this.responseCode >= 400 && this.responseCode < 500;
  }
}

export const REPLIES = {
  // RCPT
  noSuchUser: () => new SmtpError(550, '5.1.1', 'Recipient address rejected: no such user here'),
  noPostmaster: (hostname: string) =>
    new SmtpError(550, '5.1.1', `Recipient address rejected: this server has no postmaster mailbox (postmaster@${hostname} is not set up)`),
  relayDenied: () => new SmtpError(554, '5.7.1', 'Relay access denied'),
  badRecipient: () => new SmtpError(501, '5.1.3', 'Bad recipient address syntax'),
  receiveDisabled: () => new SmtpError(550, '5.2.1', 'Mailbox unavailable: it does not accept mail'),
  mailboxFullTemp: () => new SmtpError(452, '4.2.2', 'Mailbox full, try again later'),
  recipientLoop: () => new SmtpError(554, '5.4.6', 'Recipient address rejected: its aliases and forwards form a loop'),
  tooManyRecipients: (max: number) => new SmtpError(452, '4.5.3', `Too many recipients (at most ${max} per message)`),
  tooBigForRecipient: (limit: number) => new SmtpError(552, '5.3.4', `Message too large for this recipient (limit ${limit} bytes)`),

  // MAIL (submission)
  badSender: () => new SmtpError(501, '5.1.7', 'Bad sender address syntax'),
  senderNotOwned: (address: string) =>
    new SmtpError(553, '5.7.1', `Sender address rejected: not owned by you; send as ${address} or one of its aliases`),
  sendSuspended: () => new SmtpError(550, '5.7.1', 'Sending is suspended for this mailbox; ask your provider why'),
  outboundBlocked: () =>
    new SmtpError(
      550,
      '5.7.1',
      'This mailbox may not send mail: it was blocked automatically after an unusual burst of messages. Ask your provider to review and release it',
    ),
  rateLimited: (limit: number, window: string) => new SmtpError(450, '4.7.0', `Sending rate limit reached (${limit} recipients per ${window}); try again later`),

  // DATA / BDAT
  mailboxFull: () => new SmtpError(552, '5.2.2', 'Mailbox full: this message would exceed the quota'),
  loop: (hops: number) => new SmtpError(554, '5.4.6', `Too many hops (${hops} Received headers): mail loop?`),
  tooBig: (limit: number) => new SmtpError(552, '5.3.4', `Message exceeds the size limit of ${limit} bytes`),
  bareLf: () => new SmtpError(554, '5.5.2', 'Message refused: bare LF (line feed without carriage return) received; lines must end with CRLF'),
  dmarcReject: (domain: string) =>
    new SmtpError(550, '5.7.1', `Message rejected: it fails DMARC and the policy of ${domain} is to reject such mail`),
  tempFailure: () => new SmtpError(451, '4.3.0', 'Temporary local problem, please try again later'),
  checkTimeout: () => new SmtpError(451, '4.4.3', 'Temporary problem checking this message, please try again later'),
  needMail: () => new SmtpError(503, '5.5.1', 'Error: need MAIL command'),
  needRcpt: () => new SmtpError(503, '5.5.1', 'Error: need RCPT command'),
  bdatSyntax: () => new SmtpError(501, '5.5.4', 'Syntax: BDAT <chunk-size> [LAST]'),
  dataAfterBdat: () => new SmtpError(503, '5.5.1', 'Error: DATA is not allowed in a BDAT transaction'),

  // Session
  lineTooLong: () => new SmtpError(500, '5.5.2', 'Line too long'),
  tooManyErrors: () => new SmtpError(421, '4.7.0', 'Too many errors, closing connection'),
  encryptionRequired: () => new SmtpError(538, '5.7.11', 'Encryption required for requested authentication mechanism'),
  authFailed: () => new SmtpError(535, '5.7.8', 'Authentication credentials invalid'),
} as const;
