'use client';

import { useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { useState } from 'react';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { CreateTenantDocument, type PlanFieldsFragment } from '@/graphql/generated';
import { required } from '@/lib/validate';

const FIELDS = ['name', 'externalId', 'planId'] as const;
type F = (typeof FIELDS)[number];

export function NewTenantForm({ plans, onCreated }: { plans: readonly PlanFieldsFragment[]; onCreated: () => void }) {
  const form = useForm<F>('new-tenant', FIELDS);
  const [createTenant] = useMutation(CreateTenantDocument);
  const [created, setCreated] = useState<{ id: string; name: string }>();
  const defaultPlan = plans.find((p) => p.name === 'Default')?.id ?? plans[0]?.id ?? '';

  function validate(data: FormData): FieldErrors<F> {
    const name = text(data, 'name').trim();
    return {
      name: required(name, 'the tenant’s name') ?? (name.length > 200 ? 'At most 200 characters.' : undefined),
      externalId: text(data, 'externalId').length > 200 ? 'At most 200 characters.' : undefined,
      planId: text(data, 'planId') ? undefined : 'Choose a plan.',
    };
  }

  return (
    <section className="card" aria-labelledby="new-tenant-heading">
      <h2 id="new-tenant-heading">New tenant</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            setCreated(undefined);
            const externalId = text(data, 'externalId').trim();
            const { data: result } = await createTenant({
              variables: { input: { name: text(data, 'name').trim(), planId: text(data, 'planId'), ...(externalId ? { externalId } : {}) } },
            });
            if (!result) return;
            element.reset();
            setCreated({ id: result.createTenant.id, name: result.createTenant.name });
            onCreated();
            return `Tenant “${result.createTenant.name}” created.`;
          })
        }
      >
        <Field form={form} name="name" label="Tenant name">
          {(p) => <input {...p} type="text" required maxLength={200} autoComplete="off" />}
        </Field>
        <Field form={form} name="planId" label="Plan">
          {(p) => (
            <select {...p} required defaultValue={defaultPlan}>
              {plans.map((plan) => (
                <option key={plan.id} value={plan.id}>
                  {plan.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form={form} name="externalId" label="Billing id (optional)" hint="The customer’s id in your billing system.">
          {(p) => <input {...p} type="text" maxLength={200} autoComplete="off" />}
        </Field>
        <FormMessages form={form} />
        {created ? (
          <p>
            <Link href={`/tenants/${created.id}`}>Open {created.name}</Link> to add its administrator.
          </p>
        ) : null}
        <SubmitButton pending={form.pending}>Create tenant</SubmitButton>
      </form>
    </section>
  );
}
