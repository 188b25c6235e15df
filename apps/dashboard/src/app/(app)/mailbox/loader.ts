import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { MailboxDocument, type MailboxDetailFragment } from '@/graphql/generated';
import { getClient } from '@/lib/server/apollo';
import { queryOrNavigate, requireMailboxOwner } from '@/lib/server/viewer';

/** The signed-in owner's own mailbox (the actor's id is the mailbox id). */
export const loadOwnMailbox = cache(async (): Promise<MailboxDetailFragment> => {
  const viewer = await requireMailboxOwner();
  const { data } = await queryOrNavigate(async () => (await getClient()).query({ query: MailboxDocument, variables: { id: viewer.id } }));
  if (!data?.mailbox) notFound();
  return data.mailbox;
});
