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

/** A person logged in as an operator (not an API key, not a mailbox owner). */
export function isOperator(actor: Actor): actor is (PlatformAdmin | TenantAdmin) & { kind: 'operator' } {
  return actor.kind === 'operator';
}
