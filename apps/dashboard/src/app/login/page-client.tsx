'use client';

import { useState, type FormEvent } from 'react';

interface Props {
  /** Same-site path to open after signing in. */
  next: string;
  initialError: string | undefined;
}

/**
 * The sign-in form. It posts to /api/session, which keeps the tokens in httpOnly cookies. Before
 * the script loads the same form still works as a plain POST (the route answers with a redirect).
 * An operator with two-factor sign-in is asked for the code after the password.
 */
export function LoginForm({ next, initialError }: Props) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) {
      setError(!email ? 'Enter your email or mail address.' : 'Enter your password.');
      document.getElementById(!email ? 'login-email' : 'login-password')?.focus();
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const response = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password, totpCode: form.get('totpCode') ?? undefined }),
        credentials: 'same-origin',
      });
      if (response.ok) {
        // A full load: the new session starts with fresh client state (no cache from before).
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => null)) as { errors?: { message?: string; extensions?: { reason?: string } }[] } | null;
      const first = body?.errors?.[0];
      if (first?.extensions?.reason === 'TOTP_REQUIRED' || first?.extensions?.reason === 'TOTP_INVALID') setNeedsCode(true);
      setError(first?.message ?? 'Signing in failed. Try again in a moment.');
    } catch {
      setError('The dashboard could not be reached. Check your connection.');
    }
    setPending(false);
  }

  return (
    <form className="form" method="post" action="/api/session" onSubmit={onSubmit} noValidate>
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus aria-describedby={error ? 'login-error' : undefined} />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {needsCode ? (
        <div className="field">
          <label htmlFor="login-totp">Code from your authenticator app</label>
          <input id="login-totp" name="totpCode" type="text" inputMode="numeric" autoComplete="one-time-code" required autoFocus />
          <span className="hint">Or one of your recovery codes.</span>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="alert alert-error" id="login-error">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Sign in
      </button>
    </form>
  );
}
