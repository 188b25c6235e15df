import { no } from '../errors.js';
import { untagged } from '../protocol/compiler.js';
import { wireMailboxName } from '../protocol/mailbox-name.js';
import { astring, mailbox, rest } from './args.js';
import { AUTHENTICATED, defineCommand, type CommandSpec, type SessionApi } from './types.js';

/** The one quota root of a mailbox account: "" (every folder counts against the mailbox). */
const ROOT = '';

/**
 * `* QUOTA "" (STORAGE used limit MESSAGE used limit)`: the figures the API shows
 * (mailboxes.used_bytes/quota_bytes in KiB as RFC 9208 asks, used_messages/quota_messages).
 */
async function sendQuota(session: SessionApi): Promise<void> {
  const q = await session.engine.store.quota(session.account!.id);
  await session.send(
    untagged(
      (b) =>
        b
          .atom('QUOTA')
          .string(ROOT)
          .list((l) => {
            l.atom('STORAGE').number(Math.floor(q.usedBytes / 1024)).number(Math.floor(q.quotaBytes / 1024));
            if (q.quotaMessages !== null) l.atom('MESSAGE').number(q.usedMessages).number(q.quotaMessages);
          }),
      session.logResponses,
    ),
  );
}

/** RFC 9208 GETQUOTAROOT. */
export const getQuotaRootCommand: CommandSpec = defineCommand({
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  args: [mailbox()],
  async handle(session, [name]) {
    const folder = await session.engine.store.getFolder(session.account!.id, name);
    if (!folder) throw no('Mailbox does not exist.', 'NONEXISTENT');
    const wire = wireMailboxName(folder.name, session.enabled.has('UTF8=ACCEPT'));
    await session.send(untagged((b) => b.atom('QUOTAROOT').mailboxName(wire, session.enabled.has('UTF8=ACCEPT')).string(ROOT), session.logResponses));
    await sendQuota(session);
    return { text: 'GETQUOTAROOT completed.' };
  },
});

/** RFC 9208 GETQUOTA. */
export const getQuotaCommand: CommandSpec = defineCommand({
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  args: [astring('quota root')],
  async handle(session, [root]) {
    if (root !== ROOT) throw no('Quota root does not exist.', 'NONEXISTENT');
    await sendQuota(session);
    return { text: 'GETQUOTA completed.' };
  },
});

/** RFC 9208 SETQUOTA: quotas are set by the provider (API), never by the user. */
export const setQuotaCommand: CommandSpec = defineCommand({
  name: 'SETQUOTA',
  states: AUTHENTICATED,
  args: [rest('quota root and limits')],
  async handle() {
    throw no('Quota can only be changed by your administrator.', 'NOPERM');
  },
});
