'use client';

import { useState, type FormEvent } from 'react';

interface Props {
  /** Same-site path to open after signing in. */
  next: string;
  initialError: string | undefined;
}

/**
 * The sign-in form. It posts to /api/session, which keeps the token in an httpOnly cookie. Before
 * the script loads the same form still works as a plain POST (the route answers with a redirect).
 */
export function LoginForm({ next, initialError }: Props) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const response = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
        credentials: 'same-origin',
      });
      if (response.ok) {
        // A full load: the new session starts with fresh client state (no cache from before).
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => null)) as { errors?: { message?: string }[] } | null;
      setError(body?.errors?.[0]?.message ?? 'Signing in failed. Try again in a moment.');
    } catch {
      setError('The dashboard could not be reached. Check your connection.');
    }
    setPending(false);
  }

  return (
    <form className="form" method="post" action="/api/session" onSubmit={onSubmit}>
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Sign in
      </button>
    </form>
  );
}
