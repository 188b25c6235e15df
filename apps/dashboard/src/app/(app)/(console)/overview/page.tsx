import type { Metadata } from 'next';
import Link from 'next/link';
import { TimeChart, type ChartPoint } from '@/components/charts';
import { ProviderOverviewDocument, type PlatformDayFieldsFragment } from '@/graphql/generated';
import { RANGES, rangeDays } from '@/lib/chart-range';
import { formatBytes, formatDateTime, formatNumber, utcDay } from '@/lib/format';
import { getClient } from '@/lib/server/apollo';
import { queryOrNavigate, requirePlatformAdmin } from '@/lib/server/viewer';
import { LiveBlocks } from './live-blocks';

export const metadata: Metadata = { title: 'Overview' };

/**
 * The provider's figures and charts over time, in one request to the API (ProviderOverview): the
 * platform per day over the chosen range (`?days=`, 30 by default) from `platformStats`, and the
 * live counts for the figures. The charts' history comes from the API's daily snapshots, so it
 * starts on the day the platform first ran; today's point uses the live counts where there are
 * some. Only the live abuse feed is a client part.
 */
export default async function OverviewPage({ searchParams }: PageProps<'/overview'>) {
  await requirePlatformAdmin();
  const days = rangeDays((await searchParams).days);
  const from = utcDay(days - 1);
  const to = utcDay(0);
  const client = await getClient();
  const { data } = await queryOrNavigate(() => client.query({ query: ProviderOverviewDocument, variables: { from, to } }));
  if (!data) throw new Error('No overview data');

  const live = {
    tenants: data.tenants.totalCount,
    mailboxes: data.mailboxes.totalCount,
    queueSize: data.queue.totalCount,
    openAbuseEvents: data.openAbuse.totalCount,
    blockedMailboxes: data.blocked.totalCount,
  };
  // Today's snapshot may be a few minutes old: its counts are replaced by the live ones.
  const stats: PlatformDayFieldsFragment[] = data.platformStats.map((d) => (d.day === to ? { ...d, ...live } : d));
  const today = stats.at(-1);
  const series = (pick: (d: PlatformDayFieldsFragment) => (number | null)[]): ChartPoint[] => stats.map((d) => ({ label: d.day, values: pick(d) }));
  const period = days === 1 ? 'today' : `last ${days} days`;

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
          <Figure label="Tenants" value={formatNumber(live.tenants)} href="/tenants" />
          <Figure label="Mailboxes" value={formatNumber(live.mailboxes)} />
          <Figure
            label="Storage used"
            value={formatBytes(today?.storageBytes ?? null)}
            note={today?.takenAt ? `${formatNumber(today.messages)} messages, as of ${formatDateTime(today.takenAt).slice(11)}` : 'not measured yet'}
          />
          <Figure label="Queue" value={formatNumber(live.queueSize)} note={`${formatNumber(data.deferred.totalCount)} deferred`} href="/queue" />
          <Figure
            label="Open abuse events"
            value={formatNumber(live.openAbuseEvents)}
            note={`${formatNumber(live.blockedMailboxes)} mailboxes blocked`}
            href="/abuse"
            tone={live.blockedMailboxes ? 'bad' : undefined}
            testId="figure-blocked"
          />
        </dl>
      </section>
      <LiveBlocks initialBlocked={live.blockedMailboxes} />
      <section aria-labelledby="charts-heading">
        <div className="page-head">
          <h2 id="charts-heading">Over time</h2>
        </div>
        <nav className="range-picker" aria-label="Period">
          <span className="muted">Period:</span>
          {RANGES.map((r) => (
            <Link key={r.days} href={r.days === 30 ? '/overview' : `/overview?days=${r.days}`} aria-current={r.days === days ? 'page' : undefined}>
              {r.label}
            </Link>
          ))}
        </nav>
        <div className="charts charts-even">
          <TimeChart title={`Mail per day, ${period}`} series={['Sent', 'Received']} points={series((d) => [d.sentMessages, d.receivedMessages])} />
          <TimeChart title={`Storage used, ${period}`} series={['Storage']} points={series((d) => [d.storageBytes])} format={formatBytes} kind="line" bytes />
          <TimeChart title={`Tenants and mailboxes, ${period}`} series={['Tenants', 'Mailboxes']} points={series((d) => [d.tenants, d.mailboxes])} kind="line" />
          <TimeChart title={`Outbound queue, ${period}`} series={['Waiting messages']} points={series((d) => [d.queueSize])} kind="line" />
          <TimeChart
            title={`Abuse, ${period}`}
            series={['Open abuse events', 'Blocked mailboxes']}
            points={series((d) => [d.openAbuseEvents, d.blockedMailboxes])}
            kind="line"
          />
        </div>
        <p className="muted">
          Mail per day comes from the engine’s counters. The other figures are daily snapshots the API takes every few minutes; a past day shows its last one, and
          days before the platform first ran are empty.
        </p>
      </section>
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
