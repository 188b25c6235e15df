import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import {
  DomainDocument,
  MailboxDocument,
  TenantDocument,
  type DomainDetailFragment,
  type MailboxDetailFragment,
  type TenantSummaryFragment,
} from '@/graphql/generated';
import { getClient } from './apollo';
import { canSeeTenant, queryOrNavigate, requireViewer } from './viewer';

/**
 * The tenant named in the URL, after checking that the viewer may see it: on the server, before
 * anything renders, and once per request however many layouts and pages ask. A tenant that does
 * not exist and one that is not yours both end in the 404 page.
 */
export const loadTenant = cache(async (tenantId: string): Promise<TenantSummaryFragment> => {
  const viewer = await requireViewer();
  if (!canSeeTenant(viewer, tenantId)) notFound();
  const { data } = await queryOrNavigate(async () => (await getClient()).query({ query: TenantDocument, variables: { id: tenantId } }));
  if (!data?.tenant) notFound();
  return data.tenant;
});

/** The domain named in the URL, which must belong to the tenant named beside it. */
export const loadDomain = cache(async (tenantId: string, domainId: string): Promise<DomainDetailFragment> => {
  await loadTenant(tenantId);
  const { data } = await queryOrNavigate(async () => (await getClient()).query({ query: DomainDocument, variables: { id: domainId } }));
  if (!data?.domain || data.domain.tenantId !== tenantId) notFound();
  return data.domain;
});

/** The mailbox named in the URL, which must belong to the tenant named beside it. */
export const loadMailbox = cache(async (tenantId: string, mailboxId: string): Promise<MailboxDetailFragment> => {
  await loadTenant(tenantId);
  const { data } = await queryOrNavigate(async () => (await getClient()).query({ query: MailboxDocument, variables: { id: mailboxId } }));
  if (!data?.mailbox || data.mailbox.tenantId !== tenantId) notFound();
  return data.mailbox;
});
