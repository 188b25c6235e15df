import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@darwin/core';
import {
  AbuseEventEntity,
  AliasEntity,
  ApiKeyEntity,
  AuditLogEntity,
  DomainEntity,
  MailboxEntity,
  OperatorEntity,
  OutboundQueueEntity,
  PlanEntity,
  TenantEntity,
  type DataSource,
  type EntityManager,
} from '@darwin/db';
import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { currentActor } from '../auth/request-context.js';
import { paginate, type Page, type PageArgs, type SortSpec } from './connection.js';
import type { IdKind } from './cursor.js';
import {
  abuseEventScope,
  aliasScope,
  apiKeyScope,
  auditScope,
  domainScope,
  mailboxScope,
  operatorScope,
  outboundScope,
  planScope,
  tenantScope,
  type ScopeRule,
} from './scope-rules.js';
import { DATA_SOURCE } from './tokens.js';
import { isUuid } from './validate.js';

/**
 * Reads of one tenant-scoped table on behalf of one actor: every query it builds already carries
 * the actor's scope condition. A row outside the scope does not exist for the caller, so fetching
 * it answers NOT_FOUND, the same as an id that was never used.
 */
export class ScopedRepository<E extends ObjectLiteral & { id: string }> {
  constructor(
    private readonly manager: EntityManager,
    private readonly entity: EntityTarget<E>,
    private readonly rule: ScopeRule,
    private readonly actor: Actor,
    /** Name used in NOT_FOUND messages ("Domain not found"). */
    private readonly label: string,
    private readonly alias: string,
    private readonly idKind: IdKind = 'uuid',
  ) {}

  /** A query over the rows this actor may see; add filters, joins and ordering to it. */
  query(): SelectQueryBuilder<E> {
    const qb = this.manager.createQueryBuilder(this.entity, this.alias);
    const scope = this.rule(this.alias, this.actor);
    if (scope) qb.andWhere(scope.sql, scope.params);
    return qb;
  }

  /** Whether `id` can name a row of this table at all (anything else reads as not found). */
  isId(id: string): boolean {
    return this.idKind === 'uuid' ? isUuid(id) : /^[1-9]\d{0,17}$/.test(id);
  }

  async find(id: string, shape?: (qb: SelectQueryBuilder<E>) => void): Promise<E | null> {
    if (!this.isId(id)) return null;
    const qb = this.query().andWhere(`${this.alias}.id = :id`, { id });
    shape?.(qb);
    return qb.getOne();
  }

  /** The row, or NOT_FOUND when it does not exist or is outside the actor's scope. */
  async get(id: string, shape?: (qb: SelectQueryBuilder<E>) => void): Promise<E> {
    const row = await this.find(id, shape);
    if (!row) throw notFound(this.label);
    return row;
  }

  /**
   * Like get, and takes a row lock until the transaction ends. Used to serialise checks such as
   * "fewer domains than the plan allows" between concurrent requests. Needs a transaction's manager.
   */
  getForUpdate(id: string): Promise<E> {
    return this.get(id, (qb) => qb.setLock('pessimistic_write'));
  }

  page(args: PageArgs, filter?: (qb: SelectQueryBuilder<E>) => void, sort?: SortSpec): Promise<Page<E>> {
    const qb = this.query();
    filter?.(qb);
    return paginate(qb, args, sort, this.idKind);
  }
}

/**
 * Hands out scoped repositories bound to the current request's actor (throws UNAUTHENTICATED when
 * there is none). Pass a transaction's manager to read inside that transaction.
 */
@Injectable()
export class ScopedRepositories {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  tenants(manager?: EntityManager): ScopedRepository<TenantEntity> {
    return this.make(manager, TenantEntity, tenantScope, 'Tenant', 'tenant');
  }

  domains(manager?: EntityManager): ScopedRepository<DomainEntity> {
    return this.make(manager, DomainEntity, domainScope, 'Domain', 'domain');
  }

  mailboxes(manager?: EntityManager): ScopedRepository<MailboxEntity> {
    return this.make(manager, MailboxEntity, mailboxScope, 'Mailbox', 'mailbox');
  }

  plans(manager?: EntityManager): ScopedRepository<PlanEntity> {
    return this.make(manager, PlanEntity, planScope, 'Plan', 'plan');
  }

  aliases(manager?: EntityManager): ScopedRepository<AliasEntity> {
    return this.make(manager, AliasEntity, aliasScope, 'Alias', 'alias');
  }

  operators(manager?: EntityManager): ScopedRepository<OperatorEntity> {
    return this.make(manager, OperatorEntity, operatorScope, 'Operator', 'operator');
  }

  apiKeys(manager?: EntityManager): ScopedRepository<ApiKeyEntity> {
    return this.make(manager, ApiKeyEntity, apiKeyScope, 'API key', 'api_key');
  }

  auditLog(manager?: EntityManager): ScopedRepository<AuditLogEntity> {
    return this.make(manager, AuditLogEntity, auditScope, 'Audit entry', 'audit', 'bigint');
  }

  outboundQueue(manager?: EntityManager): ScopedRepository<OutboundQueueEntity> {
    return this.make(manager, OutboundQueueEntity, outboundScope, 'Queued message', 'queue', 'bigint');
  }

  abuseEvents(manager?: EntityManager): ScopedRepository<AbuseEventEntity> {
    return this.make(manager, AbuseEventEntity, abuseEventScope, 'Abuse event', 'abuse', 'bigint');
  }

  private make<E extends ObjectLiteral & { id: string }>(
    manager: EntityManager | undefined,
    entity: EntityTarget<E>,
    rule: ScopeRule,
    label: string,
    alias: string,
    idKind: IdKind = 'uuid',
  ): ScopedRepository<E> {
    return new ScopedRepository(manager ?? this.dataSource.manager, entity, rule, currentActor(), label, alias, idKind);
  }
}
