import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { impersonationOf, type Actor } from './actor.js';
import type { Session } from './sessions.js';

export enum ActorKindValue {
  operator = 'operator',
  api_key = 'api_key',
  mailbox = 'mailbox',
}
registerEnumType(ActorKindValue, { name: 'ActorKind', description: 'operator: a platform or tenant admin; api_key: automation; mailbox: a mailbox owner.' });

export enum ActorRoleValue {
  platform_admin = 'platform_admin',
  tenant_admin = 'tenant_admin',
  mailbox_owner = 'mailbox_owner',
}
registerEnumType(ActorRoleValue, { name: 'ActorRole' });

@ObjectType({ description: 'The platform admin behind an impersonation session.' })
export class Impersonator {
  @Field(() => ID, { description: "The platform admin's operator id." })
  id!: string;

  @Field(() => String)
  email!: string;
}

@ObjectType({ description: 'A platform admin acting as the admin of one tenant (impersonateTenant).' })
export class Impersonation {
  @Field(() => ID, { description: 'The session; audit entries made during it carry this id as impersonationId.' })
  id!: string;

  @Field(() => String, { description: 'Why the platform admin acts as the tenant admin.' })
  reason!: string;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'The token stops working then (at most an hour after the start), or when stopImpersonation is called.' })
  expiresAt!: Date;
}

@ObjectType('Actor', { description: 'The caller: who the access token (or API key) was issued to.' })
export class ActorType {
  @Field(() => ActorKindValue)
  kind!: ActorKindValue;

  @Field(() => ActorRoleValue)
  role!: ActorRoleValue;

  @Field(() => ID, { description: 'Operator id, API key id, or mailbox id for a mailbox owner.' })
  id!: string;

  @Field(() => String, { description: "Operator e-mail, the API key's prefix, or the mailbox's address." })
  email!: string;

  @Field(() => ID, { nullable: true, description: 'Null for platform admins.' })
  tenantId!: string | null;

  @Field(() => Boolean, { description: 'True while the operator must enrol a TOTP second factor before anything else.' })
  totpEnrollmentRequired!: boolean;

  @Field(() => Impersonator, {
    nullable: true,
    description: 'Set while a platform admin acts as this tenant admin: that platform admin (id and email above are the same person, role and tenantId those it acts with).',
  })
  impersonatedBy!: Impersonator | null;

  @Field(() => Impersonation, { nullable: true, description: 'The impersonation session, when impersonatedBy is set.' })
  impersonation!: Impersonation | null;
}

@ObjectType()
export class LoginPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Exchange it with `refresh` for a new token (each is used once). Also set as an httpOnly cookie for browsers. Null for enrolment-only sessions.',
  })
  refreshToken!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  refreshExpiresAt!: Date | null;

  @Field(() => ActorType)
  actor!: ActorType;
}

@ObjectType({ description: 'An access token for acting as a tenant admin: short-lived, no refresh token.' })
export class ImpersonationPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`; audit entries made with it name the platform admin.' })
  token!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => ActorType, { description: 'The tenant admin the token stands for (with impersonatedBy and impersonation set).' })
  actor!: ActorType;
}

@ObjectType()
export class TotpEnrollment {
  @Field(() => String, { description: 'Base32 secret, for typing into an authenticator app.' })
  secret!: string;

  @Field(() => String, { description: 'otpauth:// URI, for a QR code.' })
  otpauthUri!: string;
}

@ObjectType()
export class TotpConfirmation {
  @Field(() => [String], { description: 'One-time recovery codes, shown this once.' })
  recoveryCodes!: string[];

  @Field(() => LoginPayload, { description: 'A full session (replaces an enrolment-only one).' })
  session!: LoginPayload;
}

@ObjectType()
export class TotpStatus {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Boolean, { description: 'The provider requires a second factor for every operator.' })
  required!: boolean;

  @Field(() => Int)
  recoveryCodesLeft!: number;
}

export function toActorType(actor: Actor): ActorType {
  const impersonated = impersonationOf(actor);
  return {
    kind: actor.kind as ActorKindValue,
    role: actor.role as ActorRoleValue,
    id: actor.id,
    email: actor.email,
    tenantId: actor.tenantId,
    totpEnrollmentRequired: actor.totpEnrollmentPending === true,
    impersonatedBy: impersonated ? { id: actor.id, email: actor.email } : null,
    impersonation: impersonated
      ? { id: impersonated.sessionId, reason: impersonated.reason, startedAt: impersonated.startedAt, expiresAt: impersonated.expiresAt }
      : null,
  };
}

export function toLoginPayload(s: Session): LoginPayload {
  return { token: s.token, expiresAt: s.expiresAt, refreshToken: s.refreshToken, refreshExpiresAt: s.refreshExpiresAt, actor: toActorType(s.actor) };
}
