'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { ConfirmAction } from '@/components/confirm-action';
import { Checkbox, Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ForwardingForm, VacationForm } from '@/components/mailbox-forms';
import { UsageBar } from '@/components/usage-bar';
import { useRefetchable } from '@/components/use-refetchable';
import {
  DeleteMailboxDocument,
  ReleaseMailboxDocument,
  ResetMailboxPasswordDocument,
  SetMailboxSuspensionDocument,
  UpdateMailboxDocument,
  type MailboxQuery,
  type MailboxQueryVariables,
} from '@/graphql/generated';
import { formatBytes, formatDateTime, parseSize, sizeInputValue } from '@/lib/format';
import { password } from '@/lib/validate';
import { MailboxState } from '../page-client';

export function MailboxPageClient({ tenantId, queryRef, canRelease }: { tenantId: string; queryRef: QueryRef<MailboxQuery, MailboxQueryVariables>; canRelease: boolean }) {
  const { data, reload } = useRefetchable(queryRef);
  const m = data.mailbox;
  const router = useRouter();
  const [release] = useMutation(ReleaseMailboxDocument);
  const [remove] = useMutation(DeleteMailboxDocument);

  return (
    <>
      <div className="page-head">
        <h1 className="address">{m.address}</h1>
        <MailboxState mailbox={m} />
      </div>
      <p className="muted">
        {m.displayName ? `${m.displayName} · ` : ''}Created {formatDateTime(m.createdAt)} · last login {formatDateTime(m.lastLoginAt)}
      </p>
      {m.outboundBlockedAt ? (
        <div className="alert alert-error">
          <p>
            Sending is blocked since {formatDateTime(m.outboundBlockedAt)}: {m.outboundBlockedReason ?? 'a sending burst'}. Outbound mail is held.
          </p>
          {canRelease ? (
            <ConfirmAction
              label="Release mailbox"
              danger={false}
              title={`Release ${m.address}?`}
              confirmLabel="Release"
              onConfirm={async () => {
                await release({ variables: { id: m.id } });
                reload();
              }}
            >
              <p>Its held mail goes out and its open abuse events are resolved.</p>
            </ConfirmAction>
          ) : (
            <p>Only the provider can release it.</p>
          )}
        </div>
      ) : null}
      <div className="grid-2 stack-gap">
        <QuotaCard mailbox={m} onSaved={reload} />
        <PasswordCard mailboxId={m.id} address={m.address} />
        <SuspensionCard mailbox={m} onSaved={reload} />
        <ForwardingForm mailbox={m} onSaved={reload} />
        <VacationForm mailbox={m} onSaved={reload} />
        <section className="card card-danger" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete mailbox</h2>
          <p>All its stored mail is deleted. Mail it already queued is still delivered.</p>
          <ConfirmAction
            label="Delete mailbox"
            title={`Delete ${m.address}?`}
            confirmLabel="Delete mailbox and its mail"
            typeToConfirm={m.address}
            onConfirm={async () => {
              await remove({ variables: { input: { id: m.id, confirmAddress: m.address } } });
              router.push(`/t/${tenantId}/mailboxes`);
            }}
          >
            <p>This cannot be undone.</p>
          </ConfirmAction>
        </section>
      </div>
    </>
  );
}

function QuotaCard({ mailbox: m, onSaved }: { mailbox: MailboxQuery['mailbox']; onSaved: () => void }) {
  const form = useForm<'quota'>('quota', ['quota'] as const, { quotaBytes: 'quota' });
  const [update] = useMutation(UpdateMailboxDocument);
  const validate = (data: FormData): FieldErrors<'quota'> => ({
    quota: parseSize(text(data, 'quota')) === undefined ? 'Enter a size such as 500 MB or 2 GB.' : undefined,
  });
  return (
    <section className="card" aria-labelledby="quota-heading">
      <h2 id="quota-heading">Quota</h2>
      <UsageBar label="Storage" used={m.usedBytes} limit={m.quotaBytes} format={formatBytes} />
      <p className="muted">{m.usedMessages} messages.</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data) => {
            const bytes = parseSize(text(data, 'quota'))!;
            await update({ variables: { id: m.id, input: { quotaBytes: bytes } } });
            onSaved();
            return `Quota set to ${formatBytes(bytes)}.`;
          })
        }
      >
        <Field form={form} name="quota" label="New quota">
          {(p) => <input {...p} type="text" required defaultValue={sizeInputValue(m.quotaBytes)} autoComplete="off" />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Change quota</SubmitButton>
      </form>
    </section>
  );
}

function PasswordCard({ mailboxId, address }: { mailboxId: string; address: string }) {
  const form = useForm<'password' | 'confirm'>('reset-password', ['password', 'confirm'] as const);
  const [reset] = useMutation(ResetMailboxPasswordDocument);
  const validate = (data: FormData): FieldErrors<'password' | 'confirm'> => ({
    password: password(text(data, 'password')),
    confirm: text(data, 'confirm') === text(data, 'password') ? undefined : 'The two passwords differ.',
  });
  return (
    <section className="card" aria-labelledby="reset-password-heading">
      <h2 id="reset-password-heading">Reset password</h2>
      <p className="muted">The owner’s signed-in sessions end; mail clients must use the new password.</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            await reset({ variables: { id: mailboxId, password: text(data, 'password') } });
            element.reset();
            return `The password of ${address} was reset.`;
          })
        }
      >
        <Field form={form} name="password" label="New password" hint="At least 10 characters.">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <Field form={form} name="confirm" label="New password again">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Reset password</SubmitButton>
      </form>
    </section>
  );
}

function SuspensionCard({ mailbox: m, onSaved }: { mailbox: MailboxQuery['mailbox']; onSaved: () => void }) {
  const form = useForm<'reason'>('suspension', ['reason'] as const);
  const [save] = useMutation(SetMailboxSuspensionDocument);
  const validate = (data: FormData): FieldErrors<'reason'> => {
    const any = ['login', 'send', 'receive'].some((k) => data.get(k) === 'on');
    return { reason: any && !text(data, 'reason').trim() ? 'Enter a reason while any suspension is on; it is recorded.' : undefined };
  };
  return (
    <section className="card" aria-labelledby="suspension-heading">
      <h2 id="suspension-heading">Suspension</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data) => {
            const input = {
              login: data.get('login') === 'on',
              send: data.get('send') === 'on',
              receive: data.get('receive') === 'on',
              reason: text(data, 'reason').trim() || null,
            };
            await save({ variables: { id: m.id, input } });
            onSaved();
            const on = [input.login && 'login', input.send && 'sending', input.receive && 'receiving'].filter(Boolean);
            return on.length ? `Suspended: ${on.join(', ')}.` : 'No suspension is on.';
          })
        }
      >
        <fieldset className="fieldset">
          <legend>Suspend</legend>
          <Checkbox id="suspension-login" name="login" label="Login (IMAP, POP3, submission, self-service)" defaultChecked={m.loginSuspended} />
          <Checkbox id="suspension-send" name="send" label="Sending" defaultChecked={m.sendSuspended} />
          <Checkbox id="suspension-receive" name="receive" label="Receiving (incoming mail is refused)" defaultChecked={m.receiveSuspended} />
        </fieldset>
        <Field form={form} name="reason" label="Reason">
          {(p) => <input {...p} type="text" maxLength={500} defaultValue={m.suspensionReason ?? ''} />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Save suspension</SubmitButton>
      </form>
    </section>
  );
}
