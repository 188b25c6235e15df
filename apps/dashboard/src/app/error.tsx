'use client';

import { ErrorPanel } from '@/components/error-panel';

/** The signed-in layout itself failed, typically because the API could not be asked who you are. */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="centered" id="main">
      <ErrorPanel error={error} retry={retry} />
    </main>
  );
}
