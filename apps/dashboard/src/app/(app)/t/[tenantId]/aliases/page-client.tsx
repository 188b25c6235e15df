'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { CreateAliasDocument, DeleteAliasDocument, UpdateAliasDocument, type AliasFieldsFragment, type AliasesQuery, type AliasesQueryVariables } from '@/graphql/generated';
import { toApiError, type ApiError } from '@/lib/api-error';
import { addresses, addressList } from '@/lib/validate';

interface Domain {
  id: string;
  name: string;
  displayName: string;
}

export function AliasesPageClient({ queryRef, domains }: { queryRef: QueryRef<AliasesQuery, AliasesQueryVariables>; domains: readonly Domain[] }) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'aliases');
  const [update] = useMutation(UpdateAliasDocument);
  const [remove] = useMutation(DeleteAliasDocument);
  const [error, setError] = useState<ApiError>();

  return (
    <div className="split">
      <ListSection<AliasFieldsFragment>
        id="aliases"
        title="Aliases"
        noun="aliases"
        empty={domains.length ? 'No aliases yet. An alias delivers mail for one address to others; a catch-all takes every unknown address of a domain.' : 'Add a domain first.'}
        rows={data.aliases.nodes}
        totalCount={data.aliases.totalCount}
        busy={refreshing}
        toolbar={
          error ? (
            <p role="alert" className="alert alert-error">
              {error.message} <span className="error-code">({error.code})</span>
            </p>
          ) : null
        }
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="aliases" />}
        columns={[
          {
            header: 'Source',
            className: 'address',
            cell: (a) => (
              <>
                {a.source} {a.catchAll ? <StatusBadge status="neutral" label="catch-all" /> : null}
              </>
            ),
          },
          { header: 'Delivers to', className: 'address', cell: (a) => a.destinations.join(', ') },
          { header: 'State', cell: (a) => <StatusBadge status={a.enabled ? 'enabled' : 'disabled'} /> },
          {
            header: 'Actions',
            cell: (a) => (
              <div className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`${a.enabled ? 'Disable' : 'Enable'} alias ${a.source}`}
                  onClick={async () => {
                    setError(undefined);
                    try {
                      await update({ variables: { id: a.id, input: { enabled: !a.enabled } } });
                      reload();
                    } catch (caught) {
                      setError(toApiError(caught));
                    }
                  }}
                >
                  {a.enabled ? 'Disable' : 'Enable'}
                </button>
                <ConfirmAction
                  label="Delete"
                  ariaLabel={`Delete alias ${a.source}`}
                  buttonClassName="button button-small button-danger"
                  title={`Delete the alias ${a.source}?`}
                  confirmLabel="Delete alias"
                  onConfirm={async () => {
                    await remove({ variables: { id: a.id } });
                    reload();
                  }}
                >
                  <p>Mail to {a.source} will be refused unless a mailbox or another alias takes it.</p>
                </ConfirmAction>
              </div>
            ),
          },
        ]}
      />
      {domains.length ? <CreateAliasForm domains={domains} onCreated={reload} /> : null}
    </div>
  );
}

const FIELDS = ['localPart', 'domainId', 'destinations'] as const;
type F = (typeof FIELDS)[number];

function CreateAliasForm({ domains, onCreated }: { domains: readonly Domain[]; onCreated: () => void }) {
  const form = useForm<F>('new-alias', FIELDS, { source: 'localPart' });
  const [createAlias] = useMutation(CreateAliasDocument);
  const [catchAll, setCatchAll] = useState(false);

  function validate(data: FormData): FieldErrors<F> {
    const local = text(data, 'localPart').trim();
    return {
      localPart: catchAll ? undefined : !local ? 'Enter the part before the @.' : local.includes('@') ? 'Only the part before the @; choose the domain below.' : undefined,
      domainId: text(data, 'domainId') ? undefined : 'Choose a domain.',
      destinations: addresses(addressList(text(data, 'destinations')), 'the destinations', { min: 1, max: 50 }),
    };
  }

  return (
    <section className="card" aria-labelledby="new-alias-heading">
      <h2 id="new-alias-heading">New alias</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            const domain = domains.find((d) => d.id === text(data, 'domainId'))!;
            const source = catchAll ? `@${domain.name}` : `${text(data, 'localPart').trim()}@${domain.name}`;
            const { data: result } = await createAlias({ variables: { input: { source, destinations: addressList(text(data, 'destinations')) } } });
            element.reset();
            setCatchAll(false);
            onCreated();
            return `${result?.createAlias.catchAll ? 'Catch-all' : 'Alias'} ${result?.createAlias.source} created.`;
          })
        }
      >
        <div className="checkbox">
          <input id="new-alias-catchAll" type="checkbox" checked={catchAll} onChange={(e) => setCatchAll(e.target.checked)} aria-describedby="new-alias-catchAll-hint" />
          <label htmlFor="new-alias-catchAll">Catch-all for the whole domain</label>
          <span id="new-alias-catchAll-hint" className="hint">
            Takes mail for every address of the domain that has no mailbox or alias.
          </span>
        </div>
        {catchAll ? null : (
          <Field form={form} name="localPart" label="Address (before the @)">
            {(p) => <input {...p} type="text" required maxLength={64} autoComplete="off" autoCapitalize="none" spellCheck={false} />}
          </Field>
        )}
        <Field form={form} name="domainId" label="Domain">
          {(p) => (
            <select {...p} required defaultValue={domains[0]?.id}>
              {domains.map((d) => (
                <option key={d.id} value={d.id}>
                  @{d.displayName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form={form} name="destinations" label="Deliver to" hint="One or more addresses, one per line or separated by commas.">
          {(p) => <textarea {...p} rows={3} required autoCapitalize="none" spellCheck={false} />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Create alias</SubmitButton>
      </form>
    </section>
  );
}

