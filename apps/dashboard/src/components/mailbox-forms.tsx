'use client';

import { useMutation } from '@apollo/client/react';
import { Checkbox, Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { SetMailboxForwardingDocument, SetMailboxVacationDocument, type MailboxDetailFragment } from '@/graphql/generated';
import { addresses, addressList } from '@/lib/validate';

/** Forwarding: used by tenant admins on a mailbox's page and by the owner in self-service. */
export function ForwardingForm({ mailbox, onSaved }: { mailbox: MailboxDetailFragment; onSaved?: () => void }) {
  const form = useForm<'addresses'>('forwarding', ['addresses'] as const);
  const [save] = useMutation(SetMailboxForwardingDocument);
  const validate = (data: FormData): FieldErrors<'addresses'> => {
    const list = addressList(text(data, 'addresses'));
    return { addresses: addresses(list, 'forwarding', { max: 20 }) ?? (list.some((a) => a.toLowerCase() === mailbox.address) ? 'A mailbox cannot forward to itself.' : undefined) };
  };
  return (
    <section className="card" aria-labelledby="forwarding-heading">
      <h2 id="forwarding-heading">Forwarding</h2>
      <p className="muted">{mailbox.forwarding.addresses.length ? `Now forwarding to ${mailbox.forwarding.addresses.join(', ')}.` : 'Forwarding is off.'}</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data) => {
            const list = addressList(text(data, 'addresses'));
            await save({ variables: { id: mailbox.id, input: { addresses: list, keepCopy: data.get('keepCopy') === 'on' } } });
            onSaved?.();
            return list.length ? `Mail is now forwarded to ${list.join(', ')}.` : 'Forwarding is off.';
          })
        }
      >
        <Field form={form} name="addresses" label="Forward to" hint="Up to 20 addresses, one per line or separated by commas. Empty turns forwarding off.">
          {(p) => <textarea {...p} rows={3} defaultValue={mailbox.forwarding.addresses.join('\n')} autoCapitalize="none" spellCheck={false} />}
        </Field>
        <Checkbox id="forwarding-keepCopy" name="keepCopy" label="Keep a copy in this mailbox" defaultChecked={mailbox.forwarding.keepCopy} />
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Save forwarding</SubmitButton>
      </form>
    </section>
  );
}

const VACATION_FIELDS = ['subject', 'body', 'startsAt', 'endsAt'] as const;
type VacationField = (typeof VACATION_FIELDS)[number];

/** The automatic reply while away. Dates are days in UTC (start of the first, end of the last). */
export function VacationForm({ mailbox, onSaved }: { mailbox: MailboxDetailFragment; onSaved?: () => void }) {
  const form = useForm<VacationField>('vacation', VACATION_FIELDS);
  const [save] = useMutation(SetMailboxVacationDocument);
  const v = mailbox.vacation;

  function validate(data: FormData): FieldErrors<VacationField> {
    const enabled = data.get('enabled') === 'on';
    const errors: FieldErrors<VacationField> = {};
    const subject = text(data, 'subject').trim();
    const body = text(data, 'body').trim();
    if (enabled && !subject) errors.subject = 'Enter a subject for the reply.';
    if (subject.length > 200) errors.subject = 'At most 200 characters.';
    if (enabled && !body) errors.body = 'Enter the text of the reply.';
    if (body.length > 10_000) errors.body = 'At most 10,000 characters.';
    const starts = text(data, 'startsAt');
    const ends = text(data, 'endsAt');
    if (starts && ends && ends < starts) errors.endsAt = 'The last day cannot be before the first.';
    return errors;
  }

  return (
    <section className="card" aria-labelledby="vacation-heading">
      <h2 id="vacation-heading">Vacation reply</h2>
      <p className="muted">{v.enabled ? `On${v.endsAt ? ` until ${v.endsAt.slice(0, 10)}` : ''}: “${v.subject ?? ''}”.` : 'Off.'}</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data) => {
            const enabled = data.get('enabled') === 'on';
            const starts = text(data, 'startsAt');
            const ends = text(data, 'endsAt');
            const subject = text(data, 'subject').trim();
            const body = text(data, 'body').trim();
            await save({
              variables: {
                id: mailbox.id,
                input: {
                  enabled,
                  subject: subject || null,
                  body: body || null,
                  startsAt: starts ? `${starts}T00:00:00Z` : null,
                  endsAt: ends ? `${ends}T23:59:59Z` : null,
                },
              },
            });
            onSaved?.();
            return enabled ? 'The vacation reply is on.' : 'The vacation reply is off.';
          })
        }
      >
        <Checkbox id="vacation-enabled" name="enabled" label="Reply automatically to incoming mail" defaultChecked={v.enabled} />
        <Field form={form} name="subject" label="Subject">
          {(p) => <input {...p} type="text" maxLength={200} defaultValue={v.subject ?? ''} />}
        </Field>
        <Field form={form} name="body" label="Message">
          {(p) => <textarea {...p} rows={5} maxLength={10_000} defaultValue={v.body ?? ''} />}
        </Field>
        <div className="grid-2">
          <Field form={form} name="startsAt" label="First day (optional)" hint="Empty: from now.">
            {(p) => <input {...p} type="date" defaultValue={v.startsAt?.slice(0, 10) ?? ''} />}
          </Field>
          <Field form={form} name="endsAt" label="Last day (optional)" hint="Empty: until turned off.">
            {(p) => <input {...p} type="date" defaultValue={v.endsAt?.slice(0, 10) ?? ''} />}
          </Field>
        </div>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Save vacation reply</SubmitButton>
      </form>
    </section>
  );
}
