'use client';

import { useEffect } from 'react';

/** What error boundaries show: server errors arrive without details, only a digest to match logs. */
export function ErrorPanel({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : undefined;
  return (
    <section className="card">
      <h1>Something went wrong</h1>
      <p role="alert" className="alert alert-error">
        The dashboard could not load this page. The API may be unavailable.
        {digest ? <span className="muted"> (reference {digest})</span> : null}
      </p>
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          Try again
        </button>
      </p>
    </section>
  );
}
