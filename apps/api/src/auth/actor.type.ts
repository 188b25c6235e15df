import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Actor } from './actor.js';

export enum ActorKindValue {
  operator = 'operator',
  mailbox = 'mailbox',
}
registerEnumType(ActorKindValue, { name: 'ActorKind', description: 'operator: a platform or tenant admin; mailbox: a mailbox owner.' });

export enum ActorRoleValue {
  platform_admin = 'platform_admin',
  tenant_admin = 'tenant_admin',
  mailbox_owner = 'mailbox_owner',
}
registerEnumType(ActorRoleValue, { name: 'ActorRole' });

@ObjectType('Actor', { description: 'The caller: who the access token was issued to.' })
export class ActorType {
  @Field(() => ActorKindValue)
  kind!: ActorKindValue;

  @Field(() => ActorRoleValue)
  role!: ActorRoleValue;

  @Field(() => ID, { description: 'Operator id, or mailbox id for a mailbox owner.' })
  id!: string;

  @Field(() => String, { description: "Operator e-mail, or the mailbox's address." })
  email!: string;

  @Field(() => ID, { nullable: true, description: 'Null for platform admins.' })
  tenantId!: string | null;
}

@ObjectType()
export class LoginPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => ActorType)
  actor!: ActorType;
}

export function toActorType(actor: Actor): ActorType {
  return {
    kind: actor.kind as ActorKindValue,
    role: actor.role as ActorRoleValue,
    id: actor.id,
    email: actor.email,
    tenantId: actor.tenantId,
  };
}
