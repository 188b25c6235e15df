'use client';

import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { ApiRequestError } from '@/lib/api-error';

/**
 * "Act as tenant admin": asks why (recorded in the audit log), has the dashboard's server get an
 * impersonation token for the tenant (app/api/session/acting), then loads the tenant's portal
 * afresh, so nothing from the provider's session stays in the page.
 */
export function ActAsTenantButton({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  return (
    <ConfirmAction
      label="Act as tenant admin"
      buttonClassName="button button-primary"
      danger={false}
      title={`Act as the administrator of ${tenantName}?`}
      confirmLabel="Start acting"
      reasonLabel="Reason (recorded in the audit log)"
      onConfirm={async (reason) => {
        const response = await fetch('/api/session/acting', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenantId, reason }),
        });
        if (!response.ok) throw await requestError(response);
        window.location.assign(`/t/${tenantId}`);
        // Keep the dialog busy until the portal has loaded.
        await new Promise<never>(() => undefined);
      }}
    >
      <p>
        You will see {tenantName}’s portal exactly as its administrators do, for at most an hour. Starting, and everything you change, is recorded in the audit log
        under your own name.
      </p>
    </ConfirmAction>
  );
}

/** "Stop acting": ends the impersonation in the API and goes back to the tenant in the console. */
export function StopActingButton({ tenantId }: { tenantId: string }) {
  const [pending, setPending] = useState(false);
  async function stop() {
    setPending(true);
    try {
      await fetch('/api/session/acting', { method: 'DELETE', credentials: 'same-origin' });
    } finally {
      window.location.assign(`/tenants/${tenantId}`);
    }
  }
  return (
    <button type="button" className="button button-small" onClick={stop} disabled={pending} aria-busy={pending}>
      Stop acting
    </button>
  );
}

async function requestError(response: Response): Promise<ApiRequestError> {
  try {
    const body = (await response.json()) as { errors?: { message?: string; extensions?: { code?: string; field?: string } }[] };
    const first = body.errors?.[0];
    if (first?.message) return new ApiRequestError(first.extensions?.code ?? 'INTERNAL', first.message, first.extensions?.field);
  } catch {
    // Not JSON: fall through.
  }
  return new ApiRequestError(response.status === 502 ? 'NETWORK' : 'INTERNAL', 'Acting as the tenant admin failed. Try again in a moment.');
}
