'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useState } from 'react';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { CreateDomainDocument, type DomainSummaryFragment, type DomainsQuery, type DomainsQueryVariables } from '@/graphql/generated';
import { formatDateTime } from '@/lib/format';
import { domainName } from '@/lib/validate';

export function DomainsPageClient({ tenantId, queryRef }: { tenantId: string; queryRef: QueryRef<DomainsQuery, DomainsQueryVariables> }) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'domains');
  return (
    <div className="split">
      <ListSection<DomainSummaryFragment>
        id="domains"
        title="Your domains"
        noun="domains"
        empty="No domains yet. Add the first one: we then show the DNS records to publish."
        rows={data.domains.nodes}
        totalCount={data.domains.totalCount}
        busy={refreshing}
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="domains" />}
        columns={[
          { header: 'Domain', className: 'address', cell: (d) => <Link href={`/t/${tenantId}/domains/${d.id}`}>{d.displayName}</Link> },
          { header: 'Status', cell: (d) => <StatusBadge status={d.status} /> },
          {
            header: 'DNS',
            cell: (d) =>
              d.dnsVerified ? (
                <StatusBadge status="verified" />
              ) : (
                <StatusBadge status={d.dnsCheckedAt ? 'missing' : 'unchecked'} label={d.dnsCheckedAt ? 'records missing' : 'not checked'} />
              ),
          },
          { header: 'Checked', cell: (d) => formatDateTime(d.dnsCheckedAt) },
        ]}
      />
      <AddDomainForm tenantId={tenantId} onAdded={reload} />
    </div>
  );
}

const FIELDS = ['name'] as const;

function AddDomainForm({ tenantId, onAdded }: { tenantId: string; onAdded: () => void }) {
  const form = useForm<'name'>('add-domain', FIELDS);
  const [createDomain] = useMutation(CreateDomainDocument);
  const [added, setAdded] = useState<DomainSummaryFragment>();
  const validate = (data: FormData): FieldErrors<'name'> => ({ name: domainName(text(data, 'name')) });
  return (
    <section className="card" aria-labelledby="add-domain-heading">
      <h2 id="add-domain-heading">Add domain</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            setAdded(undefined);
            const { data: result } = await createDomain({ variables: { input: { tenantId, name: text(data, 'name').trim().replace(/\.$/, '') } } });
            if (!result) return;
            element.reset();
            setAdded(result.createDomain);
            onAdded();
            return `Domain ${result.createDomain.displayName} added.`;
          })
        }
      >
        <Field form={form} name="name" label="Domain name" hint="The part after the @, e.g. example.com.">
          {(p) => <input {...p} type="text" required maxLength={253} autoComplete="off" autoCapitalize="none" spellCheck={false} placeholder="example.com" />}
        </Field>
        <FormMessages form={form} />
        {added ? (
          <p>
            <Link href={`/t/${tenantId}/domains/${added.id}`}>Show the DNS records for {added.displayName}</Link>
          </p>
        ) : null}
        <SubmitButton pending={form.pending}>Add domain</SubmitButton>
      </form>
    </section>
  );
}
