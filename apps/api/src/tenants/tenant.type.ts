import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { PlanEntity, TenantEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';
import { Plan, toPlan } from '../plans/plan.type.js';

export enum TenantStatusValue {
  active = 'active',
  suspended = 'suspended',
}
registerEnumType(TenantStatusValue, { name: 'TenantStatus' });

@ObjectType({ description: 'A customer of the provider.' })
export class Tenant {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => TenantStatusValue)
  status!: TenantStatusValue;

  @Field(() => String, { nullable: true, description: 'Why the tenant is suspended; null when active.' })
  suspensionReason!: string | null;

  @Field(() => String, { nullable: true, description: "The billing system's id for this customer." })
  externalId!: string | null;

  @Field(() => Plan)
  plan!: Plan;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class TenantConnection extends Connection(Tenant) {}

@ObjectType({ description: 'What deleting a tenant removed.' })
export class TenantDeletion {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => Int)
  domainsDeleted!: number;

  @Field(() => Int)
  mailboxesDeleted!: number;

  @Field(() => Float)
  messagesDeleted!: number;

  @Field(() => Float)
  bytesDeleted!: number;

  @Field(() => Int, { description: 'Outbound messages (per recipient) that had not gone out and never will.' })
  outboundCancelled!: number;
}

/** The tenant with its plan; the plan is joined by the service (no query per row). */
export function toTenant(e: TenantEntity, plan: PlanEntity | undefined = e.plan): Tenant {
  if (!plan) throw new Error(`tenant ${e.id} loaded without its plan`);
  return {
    id: e.id,
    name: e.name,
    status: e.status as TenantStatusValue,
    suspensionReason: e.suspensionReason,
    externalId: e.externalId,
    plan: toPlan(plan),
    createdAt: e.createdAt,
  };
}

/** What the audit log keeps about a tenant. */
export function tenantAuditView(e: TenantEntity): Record<string, unknown> {
  return { id: e.id, name: e.name, status: e.status, suspensionReason: e.suspensionReason, planId: e.planId, externalId: e.externalId };
}
