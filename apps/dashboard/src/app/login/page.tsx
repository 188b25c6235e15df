import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { safeNextPath } from '@/lib/safe-next';
import { getViewer } from '@/lib/server/viewer';
import { LoginForm } from './page-client';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  credentials: 'Wrong email or password.',
  failed: 'Signing in failed. Try again in a moment.',
  'totp-enrollment': 'Your provider requires a second factor; set it up with your administrator, then sign in again.',
};

export default async function LoginPage({ searchParams }: PageProps<'/login'>) {
  const params = await searchParams;
  const next = typeof params['next'] === 'string' ? params['next'] : undefined;
  const errorKey = typeof params['error'] === 'string' ? params['error'] : undefined;

  // Already signed in: go on. If the API cannot be asked, show the form rather than an error.
  const viewer = await getViewer().catch(() => null);
  if (viewer && !viewer.totpEnrollmentRequired) redirect(safeNextPath(next));

  return (
    <main className="centered" id="main">
      <div className="card login-card">
        <h1>Darwin Mail</h1>
        <p className="muted">Sign in as an administrator with your email, or as a mailbox owner with your mail address and its password.</p>
        <LoginForm next={safeNextPath(next)} initialError={errorKey ? ERRORS[errorKey] : undefined} />
      </div>
    </main>
  );
}
