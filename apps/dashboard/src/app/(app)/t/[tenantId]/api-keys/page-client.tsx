'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { CopyButton } from '@/components/copy-button';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { CreateApiKeyDocument, RevokeApiKeyDocument, type ApiKeyFieldsFragment, type ApiKeysQuery, type ApiKeysQueryVariables } from '@/graphql/generated';
import { formatDateTime, utcDay } from '@/lib/format';
import { required } from '@/lib/validate';

function keyState(k: ApiKeyFieldsFragment): 'active' | 'revoked' | 'expired' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

export function ApiKeysPageClient({ tenantId, queryRef }: { tenantId: string; queryRef: QueryRef<ApiKeysQuery, ApiKeysQueryVariables> }) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'apiKeys');
  const [revoke] = useMutation(RevokeApiKeyDocument);
  return (
    <div className="split">
      <ListSection<ApiKeyFieldsFragment>
        id="api-keys"
        title="Keys"
        noun="keys"
        empty="No API keys yet."
        rows={data.apiKeys.nodes}
        totalCount={data.apiKeys.totalCount}
        busy={refreshing}
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="keys" />}
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Key', cell: (k) => <code>{k.prefix}…</code> },
          { header: 'State', cell: (k) => <StatusBadge status={keyState(k)} /> },
          { header: 'Last used', cell: (k) => formatDateTime(k.lastUsedAt) },
          { header: 'Expires', cell: (k) => (k.expiresAt ? formatDateTime(k.expiresAt) : 'never') },
          {
            header: 'Actions',
            cell: (k) =>
              keyState(k) === 'active' ? (
                <ConfirmAction
                  label="Revoke"
                  ariaLabel={`Revoke key ${k.name}`}
                  buttonClassName="button button-small button-danger"
                  title={`Revoke the key “${k.name}”?`}
                  confirmLabel="Revoke key"
                  onConfirm={async () => {
                    await revoke({ variables: { id: k.id } });
                    reload();
                  }}
                >
                  <p>It stops working at once; whatever uses it gets “unauthenticated” from then on.</p>
                </ConfirmAction>
              ) : (
                <span className="muted">—</span>
              ),
          },
        ]}
      />
      <CreateKeyForm tenantId={tenantId} onCreated={reload} />
    </div>
  );
}

const FIELDS = ['name', 'expiresOn'] as const;
type F = (typeof FIELDS)[number];

function CreateKeyForm({ tenantId, onCreated }: { tenantId: string; onCreated: () => void }) {
  const form = useForm<F>('new-key', FIELDS, { expiresAt: 'expiresOn' });
  const [createKey] = useMutation(CreateApiKeyDocument);
  const [created, setCreated] = useState<{ name: string; key: string }>();

  const validate = (data: FormData): FieldErrors<F> => {
    const name = text(data, 'name').trim();
    const expires = text(data, 'expiresOn');
    return {
      name: required(name, 'a name for the key') ?? (name.length > 100 ? 'At most 100 characters.' : undefined),
      expiresOn: expires && expires <= utcDay(0) ? 'The expiry must be a day after today.' : undefined,
    };
  };

  return (
    <section className="card" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading">New API key</h2>
      {created ? (
        <div className="alert alert-warn secret" role="status" data-testid="new-api-key">
          <p>
            <strong>Copy the key “{created.name}” now: it is shown only this once.</strong>
          </p>
          <p>
            <code className="secret-value">{created.key}</code> <CopyButton value={created.key} label="Copy the new API key" />
          </p>
          <p className="small">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code>.{' '}
            <button type="button" className="button button-small" onClick={() => setCreated(undefined)}>
              I have copied it
            </button>
          </p>
        </div>
      ) : null}
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            const expires = text(data, 'expiresOn');
            const { data: result } = await createKey({
              variables: { input: { name: text(data, 'name').trim(), tenantId, ...(expires ? { expiresAt: `${expires}T00:00:00Z` } : {}) } },
            });
            if (!result) return;
            element.reset();
            setCreated({ name: result.createApiKey.apiKey.name, key: result.createApiKey.key });
            onCreated();
          })
        }
      >
        <Field form={form} name="name" label="Name" hint="What uses it, e.g. “billing”.">
          {(p) => <input {...p} type="text" required maxLength={100} autoComplete="off" />}
        </Field>
        <Field form={form} name="expiresOn" label="Expires on (optional)" hint="Empty: never expires.">
          {(p) => <input {...p} type="date" min={utcDay(-1)} />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Create key</SubmitButton>
      </form>
    </section>
  );
}
