'use client';

import { useQueryRefHandlers, useReadQuery, type QueryRef } from '@apollo/client/react';
import { useTransition } from 'react';
import type { MailboxesData, MailboxesVariables } from '@/graphql/mailboxes';
import { formatBytes } from '@/lib/format';
import { CreateMailboxForm } from './create-mailbox-form';

interface Props {
  domainId: string;
  domainName: string;
  queryRef: QueryRef<MailboxesData, MailboxesVariables>;
}

export function DomainPageClient({ domainId, domainName, queryRef }: Props) {
  const { data } = useReadQuery(queryRef);
  const { refetch } = useQueryRefHandlers(queryRef);
  const [refreshing, startTransition] = useTransition();
  const { nodes, totalCount } = data.mailboxes;

  return (
    <div className="split">
      <section aria-labelledby="mailboxes-heading" aria-busy={refreshing}>
        <h2 id="mailboxes-heading">Mailboxes</h2>
        {nodes.length === 0 ? (
          <p className="empty">No mailboxes yet</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col" className="numeric">
                    Quota
                  </th>
                  <th scope="col" className="numeric">
                    Used
                  </th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((mailbox) => (
                  <tr key={mailbox.id}>
                    <td className="address">{mailbox.address}</td>
                    <td className="numeric">{formatBytes(mailbox.quotaBytes)}</td>
                    <td className="numeric">
                      {formatBytes(mailbox.usedBytes)}
                      {mailbox.quotaBytes ? (
                        <span className="muted"> ({usedPercent(mailbox.usedBytes, mailbox.quotaBytes)})</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {totalCount > nodes.length ? (
          <p className="muted">
            Showing {nodes.length} of {totalCount} mailboxes.
          </p>
        ) : null}
      </section>
      <CreateMailboxForm
        domainId={domainId}
        domainName={domainName}
        onCreated={() => startTransition(async () => void (await refetch()))}
      />
    </div>
  );
}

function usedPercent(used: number, quota: number): string {
  const percent = (used / quota) * 100;
  return `${percent > 0 && percent < 1 ? '<1' : Math.round(percent)}%`;
}
