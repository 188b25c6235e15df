import type { ApiError } from '@/lib/api-error';

/** An API error next to the form that caused it: the message, with the API's code for reference. */
export function ApiErrorAlert({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="alert alert-error" data-error-code={error.code}>
      {error.message} <span className="error-code">({error.code})</span>
    </p>
  );
}
