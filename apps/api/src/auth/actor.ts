import { forbidden } from '@darwin/core';

/**
 * Who is calling. Operators (platform and tenant admins), API keys (automation, with the rights of
 * a platform or tenant admin) and mailbox owners use the same API; `role` decides what they may
 * call (see allow.decorator.ts) and, with `tenantId` and `id`, what they may see (see
 * common/scope-rules.ts).
 */
export type Role = 'platform_admin' | 'tenant_admin' | 'mailbox_owner';
export type ActorKind = 'operator' | 'api_key' | 'mailbox';

interface ActorBase {
  readonly id: string;
  /** Operator e-mail, mailbox address, or the API key's visible prefix: what audit rows show. */
  readonly email: string;
  /**
   * Set for an operator who must enrol a TOTP second factor (DARWIN_OPERATOR_TOTP=required) and has
   * not yet: only the enrolment operations are open to them.
   */
  readonly totpEnrollmentPending?: boolean;
}

export interface PlatformAdmin extends ActorBase {
  readonly kind: 'operator' | 'api_key';
  readonly role: 'platform_admin';
  readonly tenantId: null;
}

export interface TenantAdmin extends ActorBase {
  readonly kind: 'operator' | 'api_key';
  readonly role: 'tenant_admin';
  readonly tenantId: string;
  /**
   * Set when a platform admin acts as this tenant's admin (`impersonateTenant`): `id` and `email`
   * are then that platform admin's, so audit rows name the real person, and the session is noted
   * beside them (`audit_log.impersonation_id`).
   */
  readonly impersonation?: Impersonation;
}

/** A platform admin acting as a tenant admin, as the impersonation token and its session row say. */
export interface Impersonation {
  /** The `impersonation_sessions` row. */
  readonly sessionId: string;
  readonly reason: string;
  readonly startedAt: Date;
  readonly expiresAt: Date;
}

/** `id` is the mailbox's id and `email` its address. */
export interface MailboxOwner extends ActorBase {
  readonly kind: 'mailbox';
  readonly role: 'mailbox_owner';
  readonly tenantId: string;
}

export type Actor = PlatformAdmin | TenantAdmin | MailboxOwner;

export const ROLES: readonly Role[] = ['platform_admin', 'tenant_admin', 'mailbox_owner'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The impersonation session the actor stands for, if it is a platform admin acting as a tenant admin. */
export function impersonationOf(actor: Actor): Impersonation | undefined {
  return actor.role === 'tenant_admin' ? actor.impersonation : undefined;
}

/** A person logged in as an operator (not an API key, not a mailbox owner). */
export function isOperator(actor: Actor): actor is (PlatformAdmin | TenantAdmin) & { kind: 'operator' } {
  return actor.kind === 'operator';
}

/**
 * The caller as an operator managing its own account (TOTP): refused to API keys and mailbox
 * owners, and to a platform admin acting as a tenant admin (that session is about the tenant).
 */
export function ownOperatorAccount(actor: Actor): (PlatformAdmin | TenantAdmin) & { kind: 'operator' } {
  if (!isOperator(actor)) throw forbidden('Only operators have a TOTP second factor');
  if (impersonationOf(actor)) throw forbidden('Not while acting as a tenant admin');
  return actor;
}
