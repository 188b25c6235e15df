'use client';

import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ApiErrorAlert } from '@/components/api-error-alert';
import { CREATE_TENANT } from '@/graphql/tenants';
import { toApiError, type ApiError } from '@/lib/api-error';

export function NewTenantForm({ onCreated }: { onCreated: () => void }) {
  const [createTenant, { loading }] = useMutation(CREATE_TENANT);
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    setError(undefined);
    setCreated(undefined);
    try {
      const { data } = await createTenant({ variables: { input: { name } } });
      if (!data) return;
      form.reset();
      setCreated(data.createTenant.name);
      onCreated();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="new-tenant-heading">
      <h2 id="new-tenant-heading">New tenant</h2>
      <form className="form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="tenant-name">Tenant name</label>
          <input
            id="tenant-name"
            name="name"
            type="text"
            required
            maxLength={200}
            autoComplete="off"
            aria-invalid={error?.field === 'name' || undefined}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={loading} aria-busy={loading}>
          Create tenant
        </button>
      </form>
      <ApiErrorAlert error={error} />
      {created ? (
        <p role="status" className="alert alert-success">
          Tenant “{created}” created.
        </p>
      ) : null}
    </section>
  );
}
