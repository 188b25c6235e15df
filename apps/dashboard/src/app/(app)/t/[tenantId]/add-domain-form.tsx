'use client';

import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ApiErrorAlert } from '@/components/api-error-alert';
import { CREATE_DOMAIN } from '@/graphql/domains';
import { toApiError, type ApiError } from '@/lib/api-error';

export function AddDomainForm({ tenantId, onAdded }: { tenantId: string; onAdded: () => void }) {
  const [createDomain, { loading }] = useMutation(CREATE_DOMAIN);
  const [error, setError] = useState<ApiError>();
  const [added, setAdded] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    setError(undefined);
    setAdded(undefined);
    try {
      const { data } = await createDomain({ variables: { input: { tenantId, name } } });
      if (!data) return;
      form.reset();
      setAdded(data.createDomain.name);
      onAdded();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="add-domain-heading">
      <h2 id="add-domain-heading">Add domain</h2>
      <form className="form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="domain-name">Domain name</label>
          <input
            id="domain-name"
            name="name"
            type="text"
            required
            maxLength={253}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="example.com"
            aria-invalid={error?.field === 'name' || undefined}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={loading} aria-busy={loading}>
          Add domain
        </button>
      </form>
      <ApiErrorAlert error={error} />
      {added ? (
        <p role="status" className="alert alert-success">
          Domain {added} added.
        </p>
      ) : null}
    </section>
  );
}
