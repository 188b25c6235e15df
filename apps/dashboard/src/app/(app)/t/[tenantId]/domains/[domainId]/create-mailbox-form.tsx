'use client';

import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ApiErrorAlert } from '@/components/api-error-alert';
import { CREATE_MAILBOX } from '@/graphql/mailboxes';
import { toApiError, type ApiError } from '@/lib/api-error';
import { BYTES_PER_MB } from '@/lib/format';

interface Props {
  domainId: string;
  domainName: string;
  onCreated: () => void;
}

export function CreateMailboxForm({ domainId, domainName, onCreated }: Props) {
  const [createMailbox, { loading }] = useMutation(CREATE_MAILBOX);
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const localPart = String(fields.get('localPart') ?? '').trim();
    const password = String(fields.get('password') ?? '');
    const quotaText = String(fields.get('quotaMb') ?? '').trim();
    setError(undefined);
    setCreated(undefined);

    let quotaBytes: number | undefined;
    if (quotaText !== '') {
      const mb = Number(quotaText);
      if (!Number.isFinite(mb) || mb <= 0) {
        setError({ code: 'VALIDATION', message: 'Quota must be a positive number of MB, or empty for the plan default.' });
        return;
      }
      quotaBytes = Math.round(mb * BYTES_PER_MB);
    }

    try {
      const { data } = await createMailbox({
        variables: { input: { domainId, localPart, password, ...(quotaBytes === undefined ? {} : { quotaBytes }) } },
      });
      if (!data) return;
      form.reset();
      setCreated(data.createMailbox.address);
      onCreated();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="create-mailbox-heading">
      <h2 id="create-mailbox-heading">Create mailbox</h2>
      <form className="form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="mailbox-local-part">Local part</label>
          <div className="input-suffix">
            <input
              id="mailbox-local-part"
              name="localPart"
              type="text"
              required
              maxLength={64}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              aria-describedby="mailbox-domain-suffix"
              aria-invalid={error?.field === 'localPart' || undefined}
            />
            <span id="mailbox-domain-suffix" className="suffix" title={`@${domainName}`}>
              @{domainName}
            </span>
          </div>
        </div>
        <div className="field">
          <label htmlFor="mailbox-password">Password</label>
          <input
            id="mailbox-password"
            name="password"
            type="password"
            required
            autoComplete="new-password"
            aria-invalid={error?.field === 'password' || undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="mailbox-quota">Quota (MB)</label>
          <input
            id="mailbox-quota"
            name="quotaMb"
            type="number"
            inputMode="numeric"
            min={1}
            step="any"
            placeholder="Plan default"
            aria-describedby="mailbox-quota-hint"
            aria-invalid={error?.field === 'quotaBytes' || undefined}
          />
          <span id="mailbox-quota-hint" className="hint">
            Optional. Leave empty for the plan’s default quota.
          </span>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={loading} aria-busy={loading}>
            Create mailbox
          </button>
        </div>
      </form>
      <ApiErrorAlert error={error} />
      {created ? (
        <p role="status" className="alert alert-success">
          Mailbox {created} created.
        </p>
      ) : null}
    </section>
  );
}
