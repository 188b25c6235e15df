import { ArgsType, Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { AuditLogEntity } from '@darwin/db';
import type { Actor } from '../auth/actor.js';
import { Connection, PageArgs } from '../common/connection.js';
import { JSONScalar } from '../common/json.scalar.js';

@ObjectType({ description: 'One recorded change (append-only).' })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => String, { description: 'operator, mailbox, api_key or system.' })
  actorType!: string;

  @Field(() => String, { nullable: true })
  actorId!: string | null;

  @Field(() => String, { description: 'E-mail, address or API key prefix, kept even after the actor is deleted.' })
  actorLabel!: string;

  @Field(() => ID, { nullable: true })
  tenantId!: string | null;

  @Field(() => String, { description: '<noun>.<verb>, e.g. mailbox.create.' })
  action!: string;

  @Field(() => String)
  targetType!: string;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => JSONScalar, { nullable: true })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  after!: unknown;

  @Field(() => String, { nullable: true, description: "The client's IP address (not shown to mailbox owners)." })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set when a platform admin made the change while acting as a tenant admin: the impersonation session (actor is that platform admin; the tenant.impersonate entry of the session holds the reason).',
  })
  impersonationId!: string | null;
}

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry) {}

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => String, { nullable: true, description: 'Operator, mailbox or API key id.' })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'An exact action (mailbox.create) or a prefix ending in a dot (mailbox.).' })
  action?: string | null;

  @Field(() => String, { nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  targetId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entries at or after this time.' })
  since?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Entries before this time.' })
  until?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only what was done during this impersonation session.' })
  impersonationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Oldest first when true; newest first by default.' })
  oldestFirst?: boolean | null;
}

export function toAuditEntry(e: AuditLogEntity, viewer: Actor): AuditEntry {
  return {
    id: e.id,
    createdAt: e.createdAt,
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    tenantId: e.tenantId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    ip: viewer.role === 'mailbox_owner' ? null : e.ip,
    requestId: e.requestId,
    impersonationId: e.impersonationId,
  };
}
