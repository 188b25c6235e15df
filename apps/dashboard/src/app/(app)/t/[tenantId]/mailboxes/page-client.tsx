'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { FilterForm } from '@/components/filter-form';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { UsageBar } from '@/components/usage-bar';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { CreateMailboxDocument, type MailboxSummaryFragment, type MailboxesQuery, type MailboxesQueryVariables } from '@/graphql/generated';
import { formatBytes, parseSize } from '@/lib/format';
import { password } from '@/lib/validate';

interface Domain {
  id: string;
  name: string;
  displayName: string;
}

interface Props {
  tenantId: string;
  queryRef: QueryRef<MailboxesQuery, MailboxesQueryVariables>;
  domains: readonly Domain[];
  filters: { domainId: string; q: string };
  quota: { default: number; max: number } | undefined;
}

export function MailboxesPageClient({ tenantId, queryRef, domains, filters, quota }: Props) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'mailboxes');
  const filtered = Boolean(filters.domainId || filters.q);
  return (
    <div className="split">
      <ListSection<MailboxSummaryFragment>
        id="mailboxes"
        title="All mailboxes"
        noun="mailboxes"
        empty={filtered ? 'No mailbox matches these filters.' : domains.length ? 'No mailboxes yet. Create the first one with the form.' : 'Add a domain first, then create mailboxes on it.'}
        rows={data.mailboxes.nodes}
        totalCount={data.mailboxes.totalCount}
        busy={refreshing}
        toolbar={
          <FilterForm label="Filter mailboxes" path={`/t/${tenantId}/mailboxes`} keys={['domain', 'q']}>
            <div className="field">
              <label htmlFor="mailbox-filter-domain">Domain</label>
              <select id="mailbox-filter-domain" name="domain" defaultValue={filters.domainId}>
                <option value="">All domains</option>
                {domains.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.displayName}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="mailbox-filter-q">Address contains</label>
              <input id="mailbox-filter-q" name="q" type="search" defaultValue={filters.q} />
            </div>
          </FilterForm>
        }
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="mailboxes" />}
        columns={[
          { header: 'Address', className: 'address', cell: (m) => <Link href={`/t/${tenantId}/mailboxes/${m.id}`}>{m.address}</Link> },
          { header: 'Quota used', cell: (m) => <UsageBar compact label="Quota" used={m.usedBytes} limit={m.quotaBytes} format={formatBytes} /> },
          { header: 'Messages', numeric: true, cell: (m) => m.usedMessages },
          { header: 'State', cell: (m) => <MailboxState mailbox={m} /> },
        ]}
      />
      <CreateMailboxForm domains={domains} defaultDomainId={filters.domainId} quota={quota} onCreated={reload} />
    </div>
  );
}

export function MailboxState({ mailbox: m }: { mailbox: MailboxSummaryFragment }) {
  const flags = [
    m.outboundBlockedAt ? <StatusBadge key="b" status="blocked" label="sending blocked (burst)" /> : null,
    m.loginSuspended ? <StatusBadge key="l" status="suspended" label="login suspended" /> : null,
    m.sendSuspended ? <StatusBadge key="s" status="suspended" label="sending suspended" /> : null,
    m.receiveSuspended ? <StatusBadge key="r" status="suspended" label="receiving suspended" /> : null,
  ].filter(Boolean);
  return flags.length ? <span className="badges">{flags}</span> : <StatusBadge status="active" />;
}

const FIELDS = ['localPart', 'domainId', 'displayName', 'password', 'quota'] as const;
type F = (typeof FIELDS)[number];

function CreateMailboxForm({ domains, defaultDomainId, quota, onCreated }: { domains: readonly Domain[]; defaultDomainId: string; quota: Props['quota']; onCreated: () => void }) {
  const form = useForm<F>('new-mailbox', FIELDS, { quotaBytes: 'quota' });
  const [createMailbox] = useMutation(CreateMailboxDocument);
  if (!domains.length) return null;

  function validate(data: FormData): FieldErrors<F> {
    const local = text(data, 'localPart').trim();
    const errors: FieldErrors<F> = {};
    if (!local) errors.localPart = 'Enter the part before the @.';
    else if (local.includes('@')) errors.localPart = 'Enter only the part before the @; choose the domain below.';
    else if (!/^[^\s"(),:;<>[\\\]]{1,64}$/.test(local)) errors.localPart = 'Use letters, digits and . _ - + only (at most 64).';
    if (!text(data, 'domainId')) errors.domainId = 'Choose a domain.';
    errors.password = password(text(data, 'password'));
    const quotaText = text(data, 'quota').trim();
    if (quotaText) {
      const bytes = parseSize(quotaText);
      if (bytes === undefined) errors.quota = 'Enter a size such as 500 MB or 2 GB, or leave it empty.';
      else if (quota && bytes > quota.max) errors.quota = `At most ${formatBytes(quota.max)} on your plan.`;
    }
    return errors;
  }

  return (
    <section className="card" aria-labelledby="new-mailbox-heading">
      <h2 id="new-mailbox-heading">Create mailbox</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            const quotaText = text(data, 'quota').trim();
            const displayName = text(data, 'displayName').trim();
            const { data: result } = await createMailbox({
              variables: {
                input: {
                  domainId: text(data, 'domainId'),
                  localPart: text(data, 'localPart').trim(),
                  password: text(data, 'password'),
                  ...(quotaText ? { quotaBytes: parseSize(quotaText)! } : {}),
                  ...(displayName ? { displayName } : {}),
                },
              },
            });
            element.reset();
            onCreated();
            return `Mailbox ${result?.createMailbox.address} created.`;
          })
        }
      >
        <Field form={form} name="localPart" label="Address (before the @)">
          {(p) => <input {...p} type="text" required maxLength={64} autoComplete="off" autoCapitalize="none" spellCheck={false} />}
        </Field>
        <Field form={form} name="domainId" label="Domain">
          {(p) => (
            <select {...p} required defaultValue={defaultDomainId || domains[0]?.id}>
              {domains.map((d) => (
                <option key={d.id} value={d.id}>
                  @{d.displayName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form={form} name="displayName" label="Display name (optional)">
          {(p) => <input {...p} type="text" maxLength={200} autoComplete="off" />}
        </Field>
        <Field form={form} name="password" label="Password" hint="At least 10 characters. Give it to the owner over a safe channel.">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <Field form={form} name="quota" label="Quota" hint={quota ? `Empty: the plan’s ${formatBytes(quota.default)}. At most ${formatBytes(quota.max)}.` : 'Empty: the plan’s default.'}>
          {(p) => <input {...p} type="text" autoComplete="off" placeholder="e.g. 500 MB" />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Create mailbox</SubmitButton>
      </form>
    </section>
  );
}
