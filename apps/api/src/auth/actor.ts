/**
 * Who is calling. Operators (platform and tenant admins) and mailbox owners log in through the same
 * API; `role` decides what they may call (see allow.decorator.ts) and, with `tenantId` and `id`,
 * what they may see (see common/scope-rules.ts).
 */
export type Role = 'platform_admin' | 'tenant_admin' | 'mailbox_owner';
export type ActorKind = 'operator' | 'mailbox';

export interface PlatformAdmin {
  readonly kind: 'operator';
  readonly role: 'platform_admin';
  readonly id: string;
  readonly email: string;
  readonly tenantId: null;
}

export interface TenantAdmin {
  readonly kind: 'operator';
  readonly role: 'tenant_admin';
  readonly id: string;
  readonly email: string;
  readonly tenantId: string;
}

/** `id` is the mailbox's id and `email` its address. */
export interface MailboxOwner {
  readonly kind: 'mailbox';
  readonly role: 'mailbox_owner';
  readonly id: string;
  readonly email: string;
  readonly tenantId: string;
}

export type Actor = PlatformAdmin | TenantAdmin | MailboxOwner;

export const ROLES: readonly Role[] = ['platform_admin', 'tenant_admin', 'mailbox_owner'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
