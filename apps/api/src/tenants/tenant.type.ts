import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
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

  @Field(() => Plan)
  plan!: Plan;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class TenantConnection extends Connection(Tenant) {}

/** The tenant with its plan; the plan is joined by the service (no query per row). */
export function toTenant(e: TenantEntity, plan: PlanEntity | undefined = e.plan): Tenant {
  if (!plan) throw new Error(`tenant ${e.id} loaded without its plan`);
  return { id: e.id, name: e.name, status: e.status as TenantStatusValue, plan: toPlan(plan), createdAt: e.createdAt };
}

/** What the audit log keeps about a tenant. */
export function tenantAuditView(e: TenantEntity): Record<string, unknown> {
  return { id: e.id, name: e.name, status: e.status, planId: e.planId };
}
