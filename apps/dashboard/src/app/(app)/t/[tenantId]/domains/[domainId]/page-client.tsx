'use client';

import type { QueryRef } from '@apollo/client/react';
import { ListSection } from '@/components/list-section';
import { useRefetchable } from '@/components/use-refetchable';
import type { MailboxesData, MailboxesVariables } from '@/graphql/mailboxes';
import { formatBytes } from '@/lib/format';
import { CreateMailboxForm } from './create-mailbox-form';

interface Props {
  domainId: string;
  domainName: string;
  queryRef: QueryRef<MailboxesData, MailboxesVariables>;
}

type Mailbox = MailboxesData['mailboxes']['nodes'][number];

export function DomainPageClient({ domainId, domainName, queryRef }: Props) {
  const { data, refreshing, reload } = useRefetchable(queryRef);
  return (
    <div className="split">
      <ListSection<Mailbox>
        id="mailboxes"
        title="Mailboxes"
        noun="mailboxes"
        empty="No mailboxes yet"
        rows={data.mailboxes.nodes}
        totalCount={data.mailboxes.totalCount}
        busy={refreshing}
        columns={[
          { header: 'Address', className: 'address', cell: (m) => m.address },
          { header: 'Quota', numeric: true, cell: (m) => formatBytes(m.quotaBytes) },
          {
            header: 'Used',
            numeric: true,
            cell: (m) => (
              <>
                {formatBytes(m.usedBytes)}
                {m.quotaBytes ? <span className="muted"> ({usedPercent(m.usedBytes, m.quotaBytes)})</span> : null}
              </>
            ),
          },
        ]}
      />
      <CreateMailboxForm domainId={domainId} domainName={domainName} onCreated={reload} />
    </div>
  );
}

function usedPercent(used: number, quota: number): string {
  const percent = (used / quota) * 100;
  return `${percent > 0 && percent < 1 ? '<1' : Math.round(percent)}%`;
}
