import type { MailboxAccount } from '@darwin/mail-store';
import { restOfLine } from '../args.js';
import { Maildrop } from '../maildrop.js';
import { Pop3State } from '../state.js';
import { defineCommand, type CommandSession } from './command.js';
import { AUTH_FAILED, IN_USE, PLAINTEXT_DISALLOWED, POP3_DISABLED, TEMPORARY_FAILURE } from './replies.js';

/**
 * PASS password (RFC 1939 section 7): checks USER's name and this password, takes the maildrop
 * lock (held across engine processes) and numbers the INBOX for the session.
 */
export const pass = defineCommand({
  name: 'PASS',
  states: [Pop3State.Authorization],
  args: restOfLine('PASS requires a password.'),
  secretArgs: true,
  async handle(s, password) {
    if (!s.plaintextAllowed()) return s.err(PLAINTEXT_DISALLOWED);
    const user = s.pendingUser;
    s.pendingUser = undefined; // after PASS, success or not, a new USER is needed
    if (user === undefined) return s.err('No user name given: send USER first.');

    let result;
    try {
      result = await s.engine.auth.login(user, password, { protocol: 'pop3', ip: s.remoteAddress });
    } catch (err) {
      s.log.error('authentication failed with an error', { err });
      return s.err(TEMPORARY_FAILURE);
    }
    if (!result.ok) {
      const hangUp = s.authFailed();
      await s.err(result.reason === 'disabled' ? POP3_DISABLED : AUTH_FAILED);
      if (hangUp) s.end();
      return;
    }
    await openMaildrop(s, result.account);
  },
});

async function openMaildrop(s: CommandSession, account: MailboxAccount): Promise<void> {
  const { store } = s.engine;
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
    const inbox = await store.getFolder(account.id, 'INBOX');
    if (!inbox) throw new Error(`mailbox ${account.id} has no INBOX`);
    folderId = inbox.id;
    // The whole INBOX, however large: message numbers must cover every message for the session.
    maildrop = new Maildrop(await store.listMessages(inbox.id));
  } catch (err) {
    await lock.release().catch(() => {});
    s.log.error('could not open the maildrop', { err, mailboxId: account.id });
    return s.err(TEMPORARY_FAILURE);
  }
  // From here the session owns the lock: it is released at QUIT or when the connection ends.
  s.beginTransaction({ account, folderId, maildrop, lock });
  const { count, octets } = maildrop.stat();
  s.log.info('logged in', { user: account.address, messages: count, octets });
  await s.ok('Logged in.');
}
