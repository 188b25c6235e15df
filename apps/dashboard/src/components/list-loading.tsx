/** Suspense fallback for a list that is still on its way from the server. */
export function ListLoading({ label }: { label: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}
