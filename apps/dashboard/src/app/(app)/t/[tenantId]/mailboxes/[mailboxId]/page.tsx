import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ListLoading } from '@/components/list-loading';
import { MailboxDocument } from '@/graphql/generated';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadMailbox, loadTenant } from '@/lib/server/loaders';
import { requireViewer } from '@/lib/server/viewer';
import { MailboxPageClient } from './page-client';

type Props = PageProps<'/t/[tenantId]/mailboxes/[mailboxId]'>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenantId, mailboxId } = await params;
  return { title: (await loadMailbox(tenantId, mailboxId)).address };
}

/** One mailbox as its tenant's admin manages it. */
export default async function MailboxPage({ params }: Props) {
  const { tenantId, mailboxId } = await params;
  const viewer = await requireViewer();
  await loadTenant(tenantId);
  const mailbox = await loadMailbox(tenantId, mailboxId);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Mailboxes', href: `/t/${tenantId}/mailboxes` }, { label: mailbox.address }]} />
      <PreloadQuery query={MailboxDocument} variables={{ id: mailboxId }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading the mailbox…" />}>
            <MailboxPageClient tenantId={tenantId} queryRef={queryRef} canRelease={viewer.role === 'platform_admin'} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
