import { Inject, Injectable } from '@nestjs/common';
import { conflict, DomainError, normalizeDomain, validation } from '@darwin/core';
import { DomainEntity, PlanEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import type { Page } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { isUuid } from '../common/validate.js';
import type { CreateDomainInput } from './dto/create-domain.input.js';
import type { DomainsArgs } from './dto/domains.args.js';
import { domainAuditView } from './domain.type.js';

/** The domains.name column; normalizeDomain allows 255, DNS names stop at 253. */
export const MAX_DOMAIN_NAME = 253;

@Injectable()
export class DomainService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  get(id: string): Promise<DomainEntity> {
    return this.scoped.domains().get(id);
  }

  list(args: DomainsArgs): Promise<Page<DomainEntity>> {
    return this.scoped.domains().page(args, (qb) => {
      if (args.tenantId != null) qb.andWhere(`${qb.alias}.tenantId = :tenantId`, { tenantId: isUuid(args.tenantId) ? args.tenantId : null });
    });
  }

  async create(input: CreateDomainInput): Promise<DomainEntity> {
    const name = normalizeDomain(input.name);
    if (!name || name.length > MAX_DOMAIN_NAME) throw validation('Invalid domain name', { field: 'name' });

    return this.dataSource.transaction(async (m) => {
      // Another tenant's id reads as NOT_FOUND. The row lock orders concurrent creations for one
      // tenant, so two requests cannot both pass the limit check below.
      const tenant = await this.scoped.tenants(m).getForUpdate(input.tenantId);
      const plan = await m.findOneByOrFail(PlanEntity, { id: tenant.planId });

      if (await m.existsBy(DomainEntity, { name })) throw conflict('Domain already exists', { field: 'name' });
      const current = await m.countBy(DomainEntity, { tenantId: tenant.id });
      if (current >= plan.maxDomains) {
        throw new DomainError('LIMIT_EXCEEDED', `The plan allows ${plan.maxDomains} domains`, { limit: 'maxDomains', max: plan.maxDomains, current });
      }

      const domain = await uniqueOrConflict(
        m.save(m.create(DomainEntity, { tenantId: tenant.id, name, status: 'active' })),
        'Domain already exists',
        { field: 'name' },
      );
      await this.audit.record(m, { action: 'domain.create', targetType: 'domain', targetId: domain.id, tenantId: tenant.id, after: domainAuditView(domain) });
      return domain;
    });
  }
}
