'use client';

import Link from 'next/link';
import { useState } from 'react';
import { LiveIndicator, useLiveEvents } from '@/components/use-live-events';
import { formatDateTime } from '@/lib/format';

interface Block {
  key: string;
  mailboxId: string;
  tenantId: string;
  at: string;
  released: boolean;
}

/** Burst blocks and releases as they happen (GraphQL subscription), without reloading the page. */
export function LiveBlocks({ initialBlocked }: { initialBlocked: number }) {
  const [blocks, setBlocks] = useState<Block[]>([]);
  const [blocked, setBlocked] = useState(initialBlocked);
  const { connected } = useLiveEvents(['MAILBOX_BLOCKED', 'MAILBOX_RELEASED'], (event) => {
    if (event.__typename === 'MailboxBlockedEvent') {
      setBlocked((n) => n + 1);
      setBlocks((list) => [{ key: event.abuseEventId, mailboxId: event.mailboxId, tenantId: event.tenantId, at: new Date().toISOString(), released: false }, ...list].slice(0, 20));
    } else if (event.__typename === 'MailboxReleasedEvent') {
      setBlocked((n) => Math.max(0, n - 1));
      setBlocks((list) => list.map((b) => (b.mailboxId === event.mailboxId ? { ...b, released: true } : b)));
    }
  });

  return (
    <section className="card live-card" aria-labelledby="live-heading">
      <div className="section-head">
        <h2 id="live-heading">Burst blocks</h2>
        <LiveIndicator connected={connected} />
      </div>
      <p>
        <strong data-testid="live-blocked-count">{blocked}</strong> mailbox{blocked === 1 ? '' : 'es'} blocked now.{' '}
        <Link href="/abuse">Review abuse events</Link>
      </p>
      <div aria-live="polite" aria-atomic="false">
        {blocks.length === 0 ? (
          <p className="muted">New blocks appear here as they happen.</p>
        ) : (
          <ul className="event-list" data-testid="live-blocks">
            {blocks.map((b) => (
              <li key={b.key}>
                <span className={b.released ? 'badge badge-good' : 'badge badge-bad'}>{b.released ? 'released' : 'blocked'}</span>{' '}
                Mailbox <Link href={`/t/${b.tenantId}/mailboxes/${b.mailboxId}`}>{b.mailboxId.slice(0, 8)}</Link> was blocked for a sending
                burst at {formatDateTime(b.at)}.
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
