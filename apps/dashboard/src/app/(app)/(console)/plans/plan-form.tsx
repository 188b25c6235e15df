'use client';

import { useMutation } from '@apollo/client/react';
import { Checkbox, Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { CreatePlanDocument, UpdatePlanDocument, type CreatePlanInput, type PlanFieldsFragment } from '@/graphql/generated';
import { parseSize, sizeInputValue } from '@/lib/format';
import { required, wholeNumber } from '@/lib/validate';

const FIELDS = [
  'name',
  'maxDomains',
  'maxMailboxes',
  'maxAliases',
  'storage',
  'defaultQuota',
  'maxQuota',
  'maxMessage',
  'maxRecipients',
  'sendPerMinute',
  'sendPerHour',
  'sendPerDay',
] as const;
type F = (typeof FIELDS)[number];

const API_FIELDS: Record<string, F> = {
  storageBytes: 'storage',
  defaultMailboxQuotaBytes: 'defaultQuota',
  maxMailboxQuotaBytes: 'maxQuota',
  maxMessageBytes: 'maxMessage',
  maxRecipientsPerMessage: 'maxRecipients',
};

const DEFAULTS = {
  maxDomains: 10,
  maxMailboxes: 100,
  maxAliases: 500,
  storage: '100 GB',
  defaultQuota: '1 GB',
  maxQuota: '10 GB',
  maxMessage: '50 MB',
  maxRecipients: 100,
  sendPerMinute: 30,
  sendPerHour: 300,
  sendPerDay: 1000,
};

/** Create a plan, or edit one's limits (changes apply to every tenant on the plan). */
export function PlanForm({ plan, onSaved, onCancel }: { plan?: PlanFieldsFragment; onSaved: () => void; onCancel?: () => void }) {
  const formId = plan ? `plan-${plan.id.slice(0, 8)}` : 'new-plan';
  const form = useForm<F>(formId, FIELDS, API_FIELDS);
  const [createPlan] = useMutation(CreatePlanDocument);
  const [updatePlan] = useMutation(UpdatePlanDocument);

  function validate(data: FormData): FieldErrors<F> {
    const errors: FieldErrors<F> = {};
    errors.name = required(text(data, 'name'), 'a plan name') ?? (text(data, 'name').trim().length > 100 ? 'At most 100 characters.' : undefined);
    for (const [f, what, min] of [
      ['maxDomains', 'the number of domains', 0],
      ['maxMailboxes', 'the number of mailboxes', 0],
      ['maxAliases', 'the number of aliases', 0],
      ['maxRecipients', 'the recipients per message', 1],
      ['sendPerMinute', 'messages per minute', 0],
      ['sendPerHour', 'messages per hour', 0],
      ['sendPerDay', 'messages per day', 0],
    ] as const) {
      errors[f] = wholeNumber(text(data, f), what, min);
    }
    for (const f of ['storage', 'defaultQuota', 'maxQuota', 'maxMessage'] as const) {
      if (parseSize(text(data, f)) === undefined) errors[f] = 'Enter a size such as 500 MB or 10 GB.';
    }
    const storage = parseSize(text(data, 'storage'));
    const def = parseSize(text(data, 'defaultQuota'));
    const max = parseSize(text(data, 'maxQuota'));
    if (!errors.maxQuota && max !== undefined && storage !== undefined && max > storage) errors.maxQuota = 'The largest mailbox quota cannot be more than the storage.';
    if (!errors.defaultQuota && def !== undefined && max !== undefined && def > max) errors.defaultQuota = 'The default quota cannot be more than the largest quota.';
    const perMinute = Number(text(data, 'sendPerMinute'));
    const perHour = Number(text(data, 'sendPerHour'));
    const perDay = Number(text(data, 'sendPerDay'));
    if (!errors.sendPerHour && perHour < perMinute) errors.sendPerHour = 'Per hour cannot be less than per minute.';
    if (!errors.sendPerDay && perDay < perHour) errors.sendPerDay = 'Per day cannot be less than per hour.';
    return errors;
  }

  function input(data: FormData): CreatePlanInput {
    return {
      name: text(data, 'name').trim(),
      maxDomains: Number(text(data, 'maxDomains')),
      maxMailboxes: Number(text(data, 'maxMailboxes')),
      maxAliases: Number(text(data, 'maxAliases')),
      storageBytes: parseSize(text(data, 'storage'))!,
      defaultMailboxQuotaBytes: parseSize(text(data, 'defaultQuota'))!,
      maxMailboxQuotaBytes: parseSize(text(data, 'maxQuota'))!,
      maxMessageBytes: parseSize(text(data, 'maxMessage'))!,
      maxRecipientsPerMessage: Number(text(data, 'maxRecipients')),
      sendPerMinute: Number(text(data, 'sendPerMinute')),
      sendPerHour: Number(text(data, 'sendPerHour')),
      sendPerDay: Number(text(data, 'sendPerDay')),
      imapEnabled: data.get('imapEnabled') === 'on',
      pop3Enabled: data.get('pop3Enabled') === 'on',
    };
  }

  const v = plan
    ? {
        name: plan.name,
        maxDomains: plan.maxDomains,
        maxMailboxes: plan.maxMailboxes,
        maxAliases: plan.maxAliases,
        storage: sizeInputValue(plan.storageBytes),
        defaultQuota: sizeInputValue(plan.defaultMailboxQuotaBytes),
        maxQuota: sizeInputValue(plan.maxMailboxQuotaBytes),
        maxMessage: sizeInputValue(plan.maxMessageBytes),
        maxRecipients: plan.maxRecipientsPerMessage,
        sendPerMinute: plan.sendPerMinute,
        sendPerHour: plan.sendPerHour,
        sendPerDay: plan.sendPerDay,
      }
    : { name: '', ...DEFAULTS };

  const number = (f: F, label: string) => (
    <Field form={form} name={f} label={label}>
      {(p) => <input {...p} type="number" inputMode="numeric" min={0} step={1} required defaultValue={String(v[f as keyof typeof v])} />}
    </Field>
  );
  const size = (f: F, label: string, hint?: string) => (
    <Field form={form} name={f} label={label} hint={hint}>
      {(p) => <input {...p} type="text" required defaultValue={String(v[f as keyof typeof v])} autoComplete="off" />}
    </Field>
  );

  const title = plan ? `Edit plan “${plan.name}”` : 'New plan';
  return (
    <section className="card" aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`}>{title}</h2>
      {plan ? <p className="muted">Changes apply at once to every tenant on this plan.</p> : null}
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            if (plan) {
              await updatePlan({ variables: { id: plan.id, input: input(data) } });
              onSaved();
              return `Plan “${text(data, 'name').trim()}” saved.`;
            }
            const { data: created } = await createPlan({ variables: { input: input(data) } });
            element.reset();
            onSaved();
            return `Plan “${created?.createPlan.name}” created.`;
          })
        }
      >
        <Field form={form} name="name" label="Plan name">
          {(p) => <input {...p} type="text" required maxLength={100} autoComplete="off" defaultValue={v.name} />}
        </Field>
        <div className="plan-grid">
        <fieldset className="fieldset">
          <legend>Counts</legend>
          <div className="grid-3">
            {number('maxDomains', 'Domains')}
            {number('maxMailboxes', 'Mailboxes')}
            {number('maxAliases', 'Aliases')}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Storage</legend>
          <div className="grid-2">
            {size('storage', 'Total storage', 'Sum of all mailbox quotas, e.g. 100 GB.')}
            {size('defaultQuota', 'Default mailbox quota')}
            {size('maxQuota', 'Largest mailbox quota')}
            {size('maxMessage', 'Largest message')}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Sending limits per mailbox</legend>
          <div className="grid-2">
            {number('sendPerMinute', 'Per minute')}
            {number('sendPerHour', 'Per hour')}
            {number('sendPerDay', 'Per day')}
            {number('maxRecipients', 'Recipients per message')}
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend>Protocols</legend>
          <Checkbox id={`${formId}-imapEnabled`} name="imapEnabled" label="IMAP" defaultChecked={plan?.imapEnabled ?? true} />
          <Checkbox id={`${formId}-pop3Enabled`} name="pop3Enabled" label="POP3" defaultChecked={plan?.pop3Enabled ?? true} />
        </fieldset>
        </div>
        <FormMessages form={form} />
        <div className="form-actions">
          <SubmitButton pending={form.pending}>{plan ? 'Save plan' : 'Create plan'}</SubmitButton>
          {onCancel ? (
            <button type="button" className="button" onClick={onCancel}>
              Close
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

