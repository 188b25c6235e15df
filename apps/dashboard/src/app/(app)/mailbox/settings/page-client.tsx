'use client';

import { useRouter } from 'next/navigation';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ForwardingForm, VacationForm } from '@/components/mailbox-forms';
import type { MailboxDetailFragment } from '@/graphql/generated';
import { ApiRequestError } from '@/lib/api-error';
import { password } from '@/lib/validate';

/** Password, forwarding and vacation reply of the owner's own mailbox. */
export function SettingsClient({ mailbox }: { mailbox: MailboxDetailFragment }) {
  const router = useRouter();
  const refresh = () => router.refresh();
  return (
    <div className="grid-2 stack-gap">
      <ChangePasswordForm />
      <ForwardingForm mailbox={mailbox} onSaved={refresh} />
      <VacationForm mailbox={mailbox} onSaved={refresh} />
    </div>
  );
}

const FIELDS = ['currentPassword', 'newPassword', 'confirm'] as const;
type F = (typeof FIELDS)[number];

/**
 * Goes through /api/session/password rather than the GraphQL proxy: the API ends every session of
 * the account when the password changes, so that route signs in again with the new password and
 * keeps this browser signed in.
 */
function ChangePasswordForm() {
  const form = useForm<F>('change-password', FIELDS);
  const validate = (data: FormData): FieldErrors<F> => ({
    currentPassword: text(data, 'currentPassword') ? undefined : 'Enter your current password.',
    newPassword: password(text(data, 'newPassword')) ?? (text(data, 'newPassword') === text(data, 'currentPassword') ? 'Choose a password different from the current one.' : undefined),
    confirm: text(data, 'confirm') === text(data, 'newPassword') ? undefined : 'The two new passwords differ.',
  });
  return (
    <section className="card" aria-labelledby="change-password-heading">
      <h2 id="change-password-heading">Change password</h2>
      <p className="muted">Mail apps signed in with the old password must be given the new one.</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            const response = await fetch('/api/session/password', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              credentials: 'same-origin',
              body: JSON.stringify({ currentPassword: text(data, 'currentPassword'), newPassword: text(data, 'newPassword') }),
            });
            const body = (await response.json().catch(() => null)) as { errors?: { message?: string; extensions?: { code?: string; field?: string } }[] } | null;
            const first = body?.errors?.[0];
            if (first) throw new ApiRequestError(first.extensions?.code ?? 'INTERNAL', first.message ?? 'Changing the password failed.', first.extensions?.field);
            if (!response.ok) throw new ApiRequestError('INTERNAL', 'Changing the password failed.');
            element.reset();
            return 'Your password was changed. Other sessions were signed out.';
          })
        }
      >
        <Field form={form} name="currentPassword" label="Current password">
          {(p) => <input {...p} type="password" required autoComplete="current-password" />}
        </Field>
        <Field form={form} name="newPassword" label="New password" hint="At least 10 characters.">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <Field form={form} name="confirm" label="New password again">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Change password</SubmitButton>
      </form>
    </section>
  );
}
