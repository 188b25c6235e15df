/** Response texts shared by several commands (after "+OK " / "-ERR "). */
export const NO_SUCH_MESSAGE = 'no such message';
export const PLAINTEXT_DISALLOWED = '[AUTH] Plaintext authentication disallowed on non-secure connection.';
export const AUTH_FAILED = '[AUTH] Authentication failed.';
export const POP3_DISABLED = '[AUTH] POP3 is not enabled for this mailbox.';
export const IN_USE = '[IN-USE] Mailbox is locked by another POP3 session.';
export const TEMPORARY_FAILURE = '[SYS/TEMP] Temporary server failure, try again later.';
export const NO_INBOX = '[SYS/PERM] This mailbox cannot be opened (it has no INBOX); contact your provider.';
