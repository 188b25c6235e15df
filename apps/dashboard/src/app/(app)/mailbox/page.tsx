import type { Metadata } from 'next';
import { ListSection } from '@/components/list-section';
import { UsageBar } from '@/components/usage-bar';
import { MailboxActivityDocument, type AuditEntryFieldsFragment } from '@/graphql/generated';
import { formatBytes, formatDateTime } from '@/lib/format';
import { getClient } from '@/lib/server/apollo';
import { queryOrNavigate } from '@/lib/server/viewer';
import { loadOwnMailbox } from './loader';

export const metadata: Metadata = { title: 'My mailbox' };

const ACTION_TEXT: Record<string, string> = {
  'mailbox.create': 'Mailbox created',
  'mailbox.update': 'Mailbox changed',
  'mailbox.password_reset': 'Password reset by an administrator',
  'mailbox.password_change': 'Password changed',
  'mailbox.suspend': 'Suspension changed',
  'mailbox.suspension': 'Suspension changed',
  'mailbox.forwarding': 'Forwarding changed',
  'mailbox.vacation': 'Vacation reply changed',
  'mailbox.release': 'Sending block lifted',
  'mailbox.limits': 'Sending limits changed',
};

/** The owner's mailbox at a glance: quota, state, recent sign-ins and what operators did to it. Server-rendered. */
export default async function MailboxOverviewPage() {
  const mailbox = await loadOwnMailbox();
  const { data } = await queryOrNavigate(async () => (await getClient()).query({ query: MailboxActivityDocument, variables: { mailboxId: mailbox.id, first: 20 } }));
  const logins = data?.logins.nodes ?? [];
  const operatorActions = (data?.changes.nodes ?? []).filter((e) => e.actorType !== 'mailbox');
  const suspended = [mailbox.loginSuspended && 'login', mailbox.sendSuspended && 'sending', mailbox.receiveSuspended && 'receiving'].filter(Boolean);

  return (
    <>
      <div className="page-head">
        <h1 className="address">{mailbox.address}</h1>
      </div>
      {mailbox.outboundBlockedAt ? (
        <p className="alert alert-error">Sending is blocked since {formatDateTime(mailbox.outboundBlockedAt)} after a burst of messages. Your provider has been told.</p>
      ) : null}
      {suspended.length ? (
        <p className="alert alert-error">
          Suspended: {suspended.join(', ')}. {mailbox.suspensionReason ?? ''}
        </p>
      ) : null}
      <div className="grid-2 stack-gap">
        <section className="card" aria-labelledby="quota-heading">
          <h2 id="quota-heading">Storage</h2>
          <UsageBar label="Quota used" used={mailbox.usedBytes} limit={mailbox.quotaBytes} format={formatBytes} />
          <p className="muted">{mailbox.usedMessages} messages.</p>
        </section>
        <section className="card" aria-labelledby="status-heading">
          <h2 id="status-heading">Settings now</h2>
          <dl className="facts">
            <dt>Forwarding</dt>
            <dd>{mailbox.forwarding.addresses.length ? mailbox.forwarding.addresses.join(', ') : 'off'}</dd>
            <dt>Vacation reply</dt>
            <dd>{mailbox.vacation.enabled ? `on: “${mailbox.vacation.subject ?? ''}”` : 'off'}</dd>
            <dt>Last sign-in</dt>
            <dd>{formatDateTime(mailbox.lastLoginAt)}</dd>
          </dl>
        </section>
      </div>
      <ListSection<AuditEntryFieldsFragment>
        id="logins"
        title="Recent sign-ins"
        noun="sign-ins"
        empty="No sign-ins recorded yet."
        rows={logins}
        totalCount={logins.length}
        columns={[
          { header: 'When', cell: (e) => formatDateTime(e.createdAt) },
          { header: 'From', cell: (e) => e.ip ?? 'hidden' },
        ]}
      />
      <ListSection<AuditEntryFieldsFragment>
        id="operator-actions"
        title="Changes made by your administrators"
        noun="changes"
        empty="Your administrators have not changed this mailbox."
        rows={operatorActions}
        totalCount={operatorActions.length}
        columns={[
          { header: 'When', cell: (e) => formatDateTime(e.createdAt) },
          { header: 'What', cell: (e) => ACTION_TEXT[e.action] ?? e.action },
          { header: 'By', className: 'address', cell: (e) => e.actorLabel },
        ]}
      />
    </>
  );
}
