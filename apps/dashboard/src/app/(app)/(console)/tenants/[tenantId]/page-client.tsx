'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useState } from 'react';
import { ActAsTenantButton } from '@/components/acting';
import { ConfirmAction } from '@/components/confirm-action';
import { Field, FormMessages, SubmitButton, text, useForm, type FieldErrors } from '@/components/form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { UsageBar } from '@/components/usage-bar';
import { useRefetchable } from '@/components/use-refetchable';
import {
  ChangeTenantPlanDocument,
  CreateOperatorDocument,
  SuspendTenantDocument,
  UnsuspendTenantDocument,
  type PlanFieldsFragment,
  type TenantDetailQuery,
  type TenantDetailQueryVariables,
  type TenantOperatorsQuery,
  type TenantOperatorsQueryVariables,
} from '@/graphql/generated';
import { formatBytes, formatDateTime } from '@/lib/format';
import { email, password } from '@/lib/validate';

type Operator = TenantOperatorsQuery['operators']['nodes'][number];

interface Props {
  detailRef: QueryRef<TenantDetailQuery, TenantDetailQueryVariables>;
  operatorsRef: QueryRef<TenantOperatorsQuery, TenantOperatorsQueryVariables>;
  plans: readonly PlanFieldsFragment[];
}

export function TenantDetailClient({ detailRef, operatorsRef, plans }: Props) {
  const detail = useRefetchable(detailRef);
  const operators = useRefetchable(operatorsRef);
  const tenant = detail.data.tenant;
  const usage = tenant.usage;
  const [suspend] = useMutation(SuspendTenantDocument);
  const [unsuspend] = useMutation(UnsuspendTenantDocument);
  const [changePlan] = useMutation(ChangeTenantPlanDocument);
  const [newPlanId, setNewPlanId] = useState(tenant.plan.id);
  const newPlan = plans.find((p) => p.id === newPlanId);

  return (
    <>
      <div className="page-head">
        <h1>{tenant.name}</h1>
        <StatusBadge status={tenant.status} />
        <div className="page-actions">
          <ActAsTenantButton tenantId={tenant.id} tenantName={tenant.name} />
          <Link className="button" href={`/t/${tenant.id}`}>
            Open portal (provider view)
          </Link>
        </div>
      </div>
      {tenant.status === 'suspended' ? (
        <p className="alert alert-error" role="status">
          Suspended: {tenant.suspensionReason ?? 'no reason given'}. Its mailboxes cannot log in and its mail is refused.
        </p>
      ) : null}
      <div className="grid-2 stack-gap">
        <section className="card" aria-labelledby="usage-heading">
          <h2 id="usage-heading">Usage against plan “{tenant.plan.name}”</h2>
          <UsageBar label="Domains" used={usage.domains.used} limit={usage.domains.limit} percent={usage.domains.percent} />
          <UsageBar label="Mailboxes" used={usage.mailboxes.used} limit={usage.mailboxes.limit} percent={usage.mailboxes.percent} />
          <UsageBar label="Aliases" used={usage.aliases.used} limit={usage.aliases.limit} percent={usage.aliases.percent} />
          <UsageBar label="Storage allocated" used={usage.storageAllocated.used} limit={usage.storageAllocated.limit} percent={usage.storageAllocated.percent} format={formatBytes} />
          <p className="muted">
            {formatBytes(usage.storageUsedBytes)} stored in {usage.messages} messages. Billing id: {tenant.externalId ?? '—'}. Created {formatDateTime(tenant.createdAt)}.
          </p>
        </section>
        <section className="card" aria-labelledby="manage-heading">
          <h2 id="manage-heading">Manage</h2>
          <div className="field">
            <label htmlFor="change-plan">Plan</label>
            <div className="inline-form">
              <select id="change-plan" value={newPlanId} onChange={(e) => setNewPlanId(e.target.value)}>
                {plans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <ConfirmAction
                label="Change plan"
                danger={false}
                disabled={newPlanId === tenant.plan.id}
                title={`Move ${tenant.name} to “${newPlan?.name ?? ''}”?`}
                confirmLabel="Change plan"
                onConfirm={async () => {
                  await changePlan({ variables: { id: tenant.id, planId: newPlanId } });
                  detail.reload();
                }}
              >
                {newPlan ? (
                  <p>
                    New limits: {newPlan.maxDomains} domains, {newPlan.maxMailboxes} mailboxes, {newPlan.maxAliases} aliases, {formatBytes(newPlan.storageBytes)} storage. The change is
                    refused if the tenant does not fit.
                  </p>
                ) : null}
              </ConfirmAction>
            </div>
          </div>
          <div className="form-actions">
            {tenant.status === 'active' ? (
              <ConfirmAction
                label="Suspend tenant"
                title={`Suspend ${tenant.name}?`}
                confirmLabel="Suspend"
                reasonLabel="Reason (recorded in the audit log)"
                onConfirm={async (reason) => {
                  await suspend({ variables: { id: tenant.id, reason } });
                  detail.reload();
                }}
              >
                <p>Its mailboxes can no longer log in, and mail to and from them is refused until you unsuspend it.</p>
              </ConfirmAction>
            ) : (
              <ConfirmAction
                label="Unsuspend tenant"
                danger={false}
                title={`Unsuspend ${tenant.name}?`}
                confirmLabel="Unsuspend"
                onConfirm={async () => {
                  await unsuspend({ variables: { id: tenant.id } });
                  detail.reload();
                }}
              >
                <p>Logins and mail work again at once.</p>
              </ConfirmAction>
            )}
            <Link className="button" href={`/audit?tenant=${tenant.id}`}>
              Audit log
            </Link>
          </div>
        </section>
      </div>
      <div className="split">
        <ListSection<Operator>
          id="operators"
          title="Administrators"
          noun="administrators"
          empty="No administrators yet: create one so the customer can sign in."
          rows={operators.data.operators.nodes}
          totalCount={operators.data.operators.totalCount}
          busy={operators.refreshing}
          columns={[
            { header: 'Email', className: 'address', cell: (o) => o.email },
            { header: 'Name', cell: (o) => o.displayName ?? '—' },
            { header: 'Last sign-in', cell: (o) => formatDateTime(o.lastLoginAt) },
            { header: 'Two-factor', cell: (o) => (o.totpEnabled ? 'On' : 'Off') },
          ]}
        />
        <NewAdminForm tenantId={tenant.id} onCreated={operators.reload} />
      </div>
    </>
  );
}

const ADMIN_FIELDS = ['email', 'displayName', 'password'] as const;
type AdminField = (typeof ADMIN_FIELDS)[number];

function NewAdminForm({ tenantId, onCreated }: { tenantId: string; onCreated: () => void }) {
  const form = useForm<AdminField>('new-admin', ADMIN_FIELDS);
  const [createOperator] = useMutation(CreateOperatorDocument);
  const validate = (data: FormData): FieldErrors<AdminField> => ({
    email: email(text(data, 'email'), 'the administrator’s email'),
    password: password(text(data, 'password')),
  });
  return (
    <section className="card" aria-labelledby="new-admin-heading">
      <h2 id="new-admin-heading">New administrator</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) =>
          form.handle(event, validate, async (data, element) => {
            const displayName = text(data, 'displayName').trim();
            const { data: result } = await createOperator({
              variables: {
                input: { email: text(data, 'email').trim(), password: text(data, 'password'), role: 'TENANT_ADMIN', tenantId, ...(displayName ? { displayName } : {}) },
              },
            });
            element.reset();
            onCreated();
            return `Administrator ${result?.createOperator.email} created. Give them the password over a safe channel.`;
          })
        }
      >
        <Field form={form} name="email" label="Email">
          {(p) => <input {...p} type="email" required autoComplete="off" />}
        </Field>
        <Field form={form} name="displayName" label="Name (optional)">
          {(p) => <input {...p} type="text" maxLength={200} autoComplete="off" />}
        </Field>
        <Field form={form} name="password" label="Initial password" hint="At least 10 characters.">
          {(p) => <input {...p} type="password" required autoComplete="new-password" />}
        </Field>
        <FormMessages form={form} />
        <SubmitButton pending={form.pending}>Create administrator</SubmitButton>
      </form>
    </section>
  );
}
