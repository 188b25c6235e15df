import type { MailboxAccount } from '@darwin/mail-store';
import type { CommandSession } from './commands/command.js';
import { AUTH_FAILED, IN_USE, NO_INBOX, POP3_DISABLED, TEMPORARY_FAILURE } from './commands/replies.js';
import { READ_AHEAD, SEEN_BATCH, SEEN_DELAY_MS } from './limits.js';
import { Maildrop } from './maildrop.js';
import { ReadAhead } from './read-ahead.js';
import { SeenMarks } from './seen-marks.js';

/**
 * The end of every login, whatever the command (PASS, AUTH PLAIN, AUTH LOGIN): the Authenticator
 * checks the credentials (it delays and counts failures, shared with IMAP and SMTP, and may answer
 * `locked`), then the maildrop lock is taken (held across engine processes) and the INBOX numbered
 * for the session. Replies carry RFC 3206 codes: [AUTH] for anything about the credentials or the
 * account, [IN-USE] for the lock, [SYS/TEMP] and [SYS/PERM] for our own trouble.
 */
export async function logIn(s: CommandSession, user: string, password: string, method: string): Promise<void> {
  let result;
  try {
    result = await s.engine.auth.login(user, password, { protocol: 'pop3', ip: s.remoteAddress });
  } catch (err) {
    s.log.error('authentication failed with an error', { err });
    return s.err(TEMPORARY_FAILURE);
  }
  if (!result.ok) {
    // `locked` (too many failures for this account or address) reads exactly like a wrong
    // password, so a guesser learns nothing; `suspended` too. Only a right password for a mailbox
    // with POP3 turned off is told so: the owner needs to know why, and it reveals nothing new.
    const hangUp = s.authFailed();
    await s.err(result.reason === 'disabled' ? POP3_DISABLED : AUTH_FAILED);
    if (hangUp) s.end();
    return;
  }
  await openMaildrop(s, result.account, method);
}

async function openMaildrop(s: CommandSession, account: MailboxAccount, method: string): Promise<void> {
  const { store } = s.engine;
  // The INBOX's id does not depend on the lock: look it up while the lock is being taken (the
  // lock costs a connection of its own). The listing itself must wait for the lock, so that it
  // cannot predate the expunge of a session that held the lock before.
  const folder = store.getFolder(account.id, 'INBOX');
  folder.catch(() => {}); // handled below, once the lock is settled
  let lock;
  try {
    lock = await store.lockMaildrop(account.id);
  } catch (err) {
    s.log.error('could not take the maildrop lock', { err, mailboxId: account.id });
    return s.err(TEMPORARY_FAILURE);
  }
  if (!lock) {
    s.log.info('maildrop in use', { user: account.address });
    return s.err(IN_USE);
  }
  let maildrop: Maildrop;
  let folderId: string;
  try {
    const inbox = await folder;
    if (!inbox) {
      // Not something a retry will mend: the mailbox needs repair by an operator.
      await lock.release().catch(() => {});
      s.log.error('mailbox has no INBOX', { mailboxId: account.id });
      return s.err(NO_INBOX);
    }
    folderId = inbox.id;
    // The whole INBOX, however large: message numbers must cover every message for the session.
    // The flags tell which messages already have \Seen (RETR does not write those again).
    maildrop = new Maildrop(await store.listMaildrop(inbox.id));
  } catch (err) {
    await lock.release().catch(() => {});
    s.log.error('could not open the maildrop', { err, mailboxId: account.id });
    return s.err(TEMPORARY_FAILURE);
  }
  const seen = new SeenMarks(
    async (uids) => {
      try {
        await store.updateFlags(folderId, uids, 'add', ['\\Seen']);
      } catch (err) {
        // The client has its messages; a missed \Seen is not worth failing the session over.
        s.log.warn('could not flag retrieved messages \\Seen', { err, uids: uids.length });
        throw err;
      }
    },
    { maxBatch: SEEN_BATCH, maxDelayMs: SEEN_DELAY_MS },
  );
  // From here the session owns the lock: it is released at QUIT or when the connection ends.
  const readAhead = new ReadAhead(store, maildrop, READ_AHEAD);
  s.beginTransaction({ account, folderId, maildrop, lock, seen, readAhead });
  const { count, octets } = maildrop.stat();
  s.log.info('logged in', { user: account.address, method, tls: s.secure, messages: count, octets });
  await s.ok('Logged in.');
}
