import type { Metadata } from 'next';
import Link from 'next/link';
import { TimeChart, type ChartPoint } from '@/components/charts';
import { ProviderOverviewDocument, TenantTrafficDocument, type TrafficFieldsFragment } from '@/graphql/generated';
import { daysBetween, formatBytes, formatNumber, utcDay } from '@/lib/format';
import { getClient } from '@/lib/server/apollo';
import { queryOrNavigate, requirePlatformAdmin } from '@/lib/server/viewer';
import { LiveBlocks } from './live-blocks';

export const metadata: Metadata = { title: 'Overview' };

const DAYS = 30;
/** Mail per day is asked per tenant (the API has no platform-wide traffic query): at most this many. */
const TRAFFIC_TENANTS = 50;

/** The provider's figures: all fetched here on the server; only the live abuse feed is a client part. */
export default async function OverviewPage() {
  await requirePlatformAdmin();
  const client = await getClient();
  const { data } = await queryOrNavigate(() => client.query({ query: ProviderOverviewDocument }));
  if (!data) throw new Error('No overview data');
  const from = utcDay(DAYS - 1);
  const to = utcDay(0);
  const days = daysBetween(from, to);

  const tenants = data.tenants.nodes;
  const storage = tenants.reduce((sum, t) => sum + t.usage.storageUsedBytes, 0);
  const messages = tenants.reduce((sum, t) => sum + t.usage.messages, 0);

  const trafficTenants = tenants.slice(0, TRAFFIC_TENANTS);
  const traffic = await Promise.all(
    trafficTenants.map((t) =>
      client
        .query({ query: TenantTrafficDocument, variables: { tenantId: t.id, from, to } })
        .then((r) => r.data?.mailTraffic ?? [])
        .catch(() => [] as TrafficFieldsFragment[]),
    ),
  );
  const perDay = new Map<string, { sent: number; received: number }>(days.map((d) => [d, { sent: 0, received: 0 }]));
  for (const row of traffic.flat()) {
    const day = perDay.get(row.day);
    if (day) {
      day.sent += row.sentMessages;
      day.received += row.receivedMessages;
    }
  }
  const mailPoints: ChartPoint[] = days.map((d) => ({ label: d, values: [perDay.get(d)!.sent, perDay.get(d)!.received] }));
  // Tenants over time, from their creation dates (tenants deleted since are not counted).
  const tenantPoints: ChartPoint[] = days.map((d) => ({
    label: d,
    values: [tenants.filter((t) => t.createdAt.slice(0, 10) <= d).length],
  }));

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
      </div>
      <section aria-labelledby="figures-heading" className="stack">
        <h2 id="figures-heading" className="visually-hidden">
          Figures
        </h2>
        <dl className="figures">
          <Figure label="Tenants" value={formatNumber(data.tenants.totalCount)} href="/tenants" />
          <Figure label="Mailboxes" value={formatNumber(data.mailboxes.totalCount)} />
          <Figure label="Storage used" value={formatBytes(storage)} note={`${formatNumber(messages)} messages`} />
          <Figure label="Queue" value={formatNumber(data.queue.totalCount)} note={`${formatNumber(data.deferred.totalCount)} deferred`} href="/queue" />
          <Figure label="Open abuse events" value={formatNumber(data.openAbuse.totalCount)} note={`${formatNumber(data.blocked.totalCount)} mailboxes blocked`} href="/abuse" tone={data.blocked.totalCount ? 'bad' : undefined} testId="figure-blocked" />
        </dl>
        {data.tenants.totalCount > tenants.length ? (
          <p className="muted">Storage is summed over the first {tenants.length} tenants.</p>
        ) : null}
      </section>
      <LiveBlocks initialBlocked={data.blocked.totalCount} />
      <div className="charts">
        <TimeChart title={`Mail per day, last ${DAYS} days`} series={['Sent', 'Received']} points={mailPoints} />
        <TimeChart title="Tenants" series={['Tenants']} points={tenantPoints} kind="line" />
      </div>
      {tenants.length > TRAFFIC_TENANTS ? <p className="muted">Mail per day covers the first {TRAFFIC_TENANTS} tenants.</p> : null}
    </>
  );
}

function Figure({ label, value, note, href, tone, testId }: { label: string; value: string; note?: string; href?: string; tone?: 'bad'; testId?: string }) {
  return (
    <div className={tone ? `figure figure-${tone}` : 'figure'} data-testid={testId}>
      <dt>{href ? <Link href={href}>{label}</Link> : label}</dt>
      <dd>
        <span className="figure-value">{value}</span>
        {note ? <span className="figure-note">{note}</span> : null}
      </dd>
    </div>
  );
}
