'use client';

import { ErrorPanel } from '@/components/error-panel';

/** A page failed (not sign-in or access: those redirect or 404). The header stays. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} />;
}
