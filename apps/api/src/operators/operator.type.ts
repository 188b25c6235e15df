import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { OperatorEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

export enum OperatorRole {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  TENANT_ADMIN = 'TENANT_ADMIN',
}
registerEnumType(OperatorRole, { name: 'OperatorRole', description: "PLATFORM_ADMIN: the provider's staff; TENANT_ADMIN: a customer's admin." });

export const ROLE_TO_DB = { PLATFORM_ADMIN: 'platform_admin', TENANT_ADMIN: 'tenant_admin' } as const;

@ObjectType({ description: 'A person who logs in to the consoles.' })
export class Operator {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => OperatorRole)
  role!: OperatorRole;

  @Field(() => ID, { nullable: true, description: 'Null for platform admins.' })
  tenantId!: string | null;

  @Field(() => Boolean)
  totpEnabled!: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set while the account is locked after failed logins.' })
  lockedUntil!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastLoginAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class OperatorConnection extends Connection(Operator) {}

export function toOperator(e: OperatorEntity): Operator {
  return {
    id: e.id,
    email: e.email,
    displayName: e.displayName,
    role: e.role === 'platform_admin' ? OperatorRole.PLATFORM_ADMIN : OperatorRole.TENANT_ADMIN,
    tenantId: e.tenantId,
    totpEnabled: e.totpEnabled,
    lockedUntil: e.lockedUntil && e.lockedUntil.getTime() > Date.now() ? e.lockedUntil : null,
    lastLoginAt: e.lastLoginAt,
    createdAt: e.createdAt,
  };
}

export function operatorAuditView(e: OperatorEntity): Record<string, unknown> {
  return { id: e.id, email: e.email, role: e.role, tenantId: e.tenantId, displayName: e.displayName, totpEnabled: e.totpEnabled };
}
