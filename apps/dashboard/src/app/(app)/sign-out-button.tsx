'use client';

import { useState } from 'react';

/** Clears the session cookie, then loads /login afresh so no client state outlives the session. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    try {
      await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
    } finally {
      window.location.assign('/login');
    }
  }
  return (
    <button type="button" className="button button-quiet" onClick={signOut} disabled={pending} aria-busy={pending}>
      Sign out
    </button>
  );
}
