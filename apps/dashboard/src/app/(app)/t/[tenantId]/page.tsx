import type { Metadata } from 'next';
import Link from 'next/link';
import { TimeChart } from '@/components/charts';
import { UsageBar } from '@/components/usage-bar';
import { TenantDetailDocument, TenantStatsDocument } from '@/graphql/generated';
import { formatBytes, formatNumber, utcDay } from '@/lib/format';
import { getClient } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { queryOrNavigate } from '@/lib/server/viewer';

export async function generateMetadata({ params }: PageProps<'/t/[tenantId]'>): Promise<Metadata> {
  const { tenantId } = await params;
  return { title: (await loadTenant(tenantId)).name };
}

const DAYS = 30;

/**
 * The tenant's usage against its plan, and over time (mail per day, storage, mailboxes: the API's
 * tenantStats): server-rendered, nothing to click but links.
 */
export default async function TenantOverviewPage({ params }: PageProps<'/t/[tenantId]'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  const client = await getClient();
  const from = utcDay(DAYS - 1);
  const to = utcDay(0);
  const [{ data }, { data: history }] = await queryOrNavigate(() =>
    Promise.all([
      client.query({ query: TenantDetailDocument, variables: { id: tenantId } }),
      client.query({ query: TenantStatsDocument, variables: { tenantId, from, to } }),
    ]),
  );
  if (!data) throw new Error('No tenant data');
  const { plan, usage } = data.tenant;
  const stats = history?.tenantStats ?? [];
  // Today's snapshot may be a few minutes old: today's point uses the usage read just now.
  const points = (pick: (d: (typeof stats)[number]) => (number | null)[]) =>
    stats.map((d) => ({ label: d.day, values: pick(d.day === to ? { ...d, mailboxes: usage.mailboxes.used, storageBytes: usage.storageUsedBytes } : d) }));
  const base = `/t/${tenantId}`;

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
      </div>
      <div className="grid-2 stack-gap">
        <section className="card" aria-labelledby="plan-usage-heading">
          <h2 id="plan-usage-heading">Usage against your plan “{plan.name}”</h2>
          <UsageBar label="Domains" used={usage.domains.used} limit={usage.domains.limit} percent={usage.domains.percent} />
          <UsageBar label="Mailboxes" used={usage.mailboxes.used} limit={usage.mailboxes.limit} percent={usage.mailboxes.percent} />
          <UsageBar label="Aliases and catch-alls" used={usage.aliases.used} limit={usage.aliases.limit} percent={usage.aliases.percent} />
          <UsageBar label="Storage given to mailboxes" used={usage.storageAllocated.used} limit={usage.storageAllocated.limit} percent={usage.storageAllocated.percent} format={formatBytes} />
          <p className="muted">
            {formatBytes(usage.storageUsedBytes)} actually stored in {formatNumber(usage.messages)} messages.
          </p>
        </section>
        <section className="card" aria-labelledby="plan-limits-heading">
          <h2 id="plan-limits-heading">Plan limits</h2>
          <dl className="facts">
            <dt>Mailbox quota</dt>
            <dd>
              {formatBytes(plan.defaultMailboxQuotaBytes)} by default, up to {formatBytes(plan.maxMailboxQuotaBytes)}
            </dd>
            <dt>Largest message</dt>
            <dd>{formatBytes(plan.maxMessageBytes)}</dd>
            <dt>Sending per mailbox</dt>
            <dd>
              {plan.sendPerMinute} a minute, {plan.sendPerHour} an hour, {plan.sendPerDay} a day
            </dd>
            <dt>Protocols</dt>
            <dd>{[plan.imapEnabled ? 'IMAP' : null, plan.pop3Enabled ? 'POP3' : null, 'SMTP'].filter(Boolean).join(', ')}</dd>
          </dl>
          <p>
            <Link href={`${base}/domains`}>Domains</Link> · <Link href={`${base}/mailboxes`}>Mailboxes</Link> · <Link href={`${base}/aliases`}>Aliases</Link>
          </p>
        </section>
      </div>
      <TimeChart title={`Mail per day, last ${DAYS} days`} series={['Sent', 'Received']} points={points((d) => [d.sentMessages, d.receivedMessages])} />
      <div className="charts charts-even">
        <TimeChart title={`Storage used, last ${DAYS} days`} series={['Storage']} points={points((d) => [d.storageBytes])} format={formatBytes} kind="line" bytes />
        <TimeChart title={`Mailboxes, last ${DAYS} days`} series={['Mailboxes']} points={points((d) => [d.mailboxes])} kind="line" />
      </div>
    </>
  );
}
