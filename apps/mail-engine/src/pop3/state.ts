/** The states of a POP3 session (RFC 1939 section 3). */
export const Pop3State = {
  /** Until USER/PASS succeed and the maildrop lock is taken. */
  Authorization: 'AUTHORIZATION',
  /** Logged in, the maildrop is locked and numbered. */
  Transaction: 'TRANSACTION',
  /** After QUIT in TRANSACTION: the marked messages are being removed; no commands are taken. */
  Update: 'UPDATE',
} as const;

export type Pop3State = (typeof Pop3State)[keyof typeof Pop3State];
