import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { AliasEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

@ObjectType({ description: 'An address (or, as `@domain`, every address of a domain without a mailbox: a catch-all) delivered to other addresses.' })
export class Alias {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  domainId!: string;

  @Field(() => String, { description: '`local@domain`, or `@domain` for the catch-all.' })
  source!: string;

  @Field(() => Boolean)
  catchAll!: boolean;

  @Field(() => [String], { description: 'Local or external addresses.' })
  destinations!: string[];

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class AliasConnection extends Connection(Alias) {}

export function toAlias(e: AliasEntity): Alias {
  return {
    id: e.id,
    tenantId: e.tenantId,
    domainId: e.domainId,
    source: e.source,
    catchAll: e.source.startsWith('@'),
    destinations: e.destinations,
    enabled: e.enabled,
    createdAt: e.createdAt,
  };
}

export function aliasAuditView(e: AliasEntity): Record<string, unknown> {
  return { id: e.id, source: e.source, destinations: e.destinations, enabled: e.enabled, domainId: e.domainId };
}
