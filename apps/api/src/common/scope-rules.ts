import type { Actor } from '../auth/actor.js';

/**
 * Which rows of a table an actor may see, as one SQL condition (null: no restriction). Written with
 * entity property names (`alias.tenantId`), which TypeORM turns into columns. Every rule answers for
 * every role, so a new resolver cannot reach a table in an unscoped way by accident.
 */
export interface ScopeCondition {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}
export type ScopeRule = (alias: string, actor: Actor) => ScopeCondition | null;

export const tenantScope: ScopeRule = (a, actor) =>
  actor.role === 'platform_admin' ? null : { sql: `${a}.id = :scopeTenantId`, params: { scopeTenantId: actor.tenantId } };

export const domainScope: ScopeRule = (a, actor) => {
  switch (actor.role) {
    case 'platform_admin':
      return null;
    case 'tenant_admin':
      return { sql: `${a}.tenantId = :scopeTenantId`, params: { scopeTenantId: actor.tenantId } };
    case 'mailbox_owner':
      // Only the domain of the owner's own mailbox.
      return {
        sql: `(${a}.tenantId = :scopeTenantId AND ${a}.id = (SELECT scope_m.domain_id FROM mailboxes scope_m WHERE scope_m.id = :scopeMailboxId))`,
        params: { scopeTenantId: actor.tenantId, scopeMailboxId: actor.id },
      };
  }
};

export const mailboxScope: ScopeRule = (a, actor) => {
  switch (actor.role) {
    case 'platform_admin':
      return null;
    case 'tenant_admin':
      return { sql: `${a}.tenantId = :scopeTenantId`, params: { scopeTenantId: actor.tenantId } };
    case 'mailbox_owner':
      return { sql: `(${a}.tenantId = :scopeTenantId AND ${a}.id = :scopeMailboxId)`, params: { scopeTenantId: actor.tenantId, scopeMailboxId: actor.id } };
  }
};

/** Plans are the provider's catalogue: tenants see only the plan they are on. */
export const planScope: ScopeRule = (a, actor) =>
  actor.role === 'platform_admin'
    ? null
    : { sql: `${a}.id = (SELECT scope_t.plan_id FROM tenants scope_t WHERE scope_t.id = :scopeTenantId)`, params: { scopeTenantId: actor.tenantId } };

/** Nothing: for roles that have no business with a table at all (their resolvers refuse them too). */
const NOTHING: ScopeCondition = { sql: '1 = 0', params: {} };

/** Tables with a tenant_id column that mailbox owners never see. */
const tenantOwned: ScopeRule = (a, actor) => {
  switch (actor.role) {
    case 'platform_admin':
      return null;
    case 'tenant_admin':
      return { sql: `${a}.tenantId = :scopeTenantId`, params: { scopeTenantId: actor.tenantId } };
    case 'mailbox_owner':
      return NOTHING;
  }
};

export const aliasScope: ScopeRule = tenantOwned;
export const operatorScope: ScopeRule = tenantOwned;
export const apiKeyScope: ScopeRule = tenantOwned;

/** Tables with tenant_id and mailbox_id: a mailbox owner sees the rows about its own mailbox. */
const mailboxOwned: ScopeRule = (a, actor) =>
  actor.role === 'mailbox_owner'
    ? { sql: `(${a}.tenantId = :scopeTenantId AND ${a}.mailboxId = :scopeMailboxId)`, params: { scopeTenantId: actor.tenantId, scopeMailboxId: actor.id } }
    : tenantOwned(a, actor);

export const outboundScope: ScopeRule = mailboxOwned;
export const abuseEventScope: ScopeRule = mailboxOwned;

/** The audit log: a mailbox owner sees what was done to its own mailbox (by operators or itself). */
export const auditScope: ScopeRule = (a, actor) =>
  actor.role === 'mailbox_owner'
    ? {
        sql: `(${a}.tenantId = :scopeTenantId AND ${a}.targetType = 'mailbox' AND ${a}.targetId = :scopeMailboxId)`,
        params: { scopeTenantId: actor.tenantId, scopeMailboxId: actor.id },
      }
    : tenantOwned(a, actor);
