import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DomainEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

export enum DomainStatusValue {
  active = 'active',
  suspended = 'suspended',
}
registerEnumType(DomainStatusValue, { name: 'DomainStatus' });

@ObjectType({ description: 'A mail domain hosted for a tenant.' })
export class Domain {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Lower-case ASCII; internationalised names in their IDNA (xn--) form.' })
  name!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => DomainStatusValue)
  status!: DomainStatusValue;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class DomainConnection extends Connection(Domain) {}

export function toDomain(e: DomainEntity): Domain {
  return { id: e.id, name: e.name, tenantId: e.tenantId, status: e.status as DomainStatusValue, createdAt: e.createdAt };
}

/** What the audit log keeps about a domain (never the DKIM private key). */
export function domainAuditView(e: DomainEntity): Record<string, unknown> {
  return { id: e.id, name: e.name, tenantId: e.tenantId, status: e.status };
}
