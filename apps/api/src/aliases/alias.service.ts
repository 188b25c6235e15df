import { Inject, Injectable } from '@nestjs/common';
import { conflict, normalizeDomain, normalizeLocalPart, notFound, parseAddress, validation } from '@darwin/core';
import { AliasEntity, MailboxEntity, PlanEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { limitExceeded } from '../common/limits.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, uuidOrNone } from '../common/validate.js';
import { aliasAuditView } from './alias.type.js';
import { AliasOrderField, type AliasesArgs, type CreateAliasInput, type UpdateAliasInput } from './dto/alias.inputs.js';

export const MAX_DESTINATIONS = 50;

const SORTABLE: SortableFields<AliasOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  SOURCE: { property: 'source', kind: 'text' },
};

/** `local@domain` or `@domain`, normalised (lower case, IDNA); undefined when invalid. */
export function parseAliasSource(input: string): { source: string; domain: string; catchAll: boolean } | undefined {
  const s = input.trim();
  if (s.startsWith('@')) {
    const domain = normalizeDomain(s.slice(1));
    return domain ? { source: `@${domain}`, domain, catchAll: true } : undefined;
  }
  const a = parseAddress(s);
  return a && normalizeLocalPart(a.localPart) ? { source: a.address, domain: a.domain, catchAll: false } : undefined;
}

function parseDestinations(list: string[], source: string): string[] {
  if (list.length < 1 || list.length > MAX_DESTINATIONS) throw validation(`1 to ${MAX_DESTINATIONS} destinations`, { field: 'destinations', max: MAX_DESTINATIONS });
  const out: string[] = [];
  for (const raw of list) {
    const a = parseAddress(raw);
    if (!a) throw validation(`Invalid destination: ${raw.slice(0, 100)}`, { field: 'destinations' });
    if (a.address === source) throw validation('An alias cannot point at itself', { field: 'destinations' });
    if (!out.includes(a.address)) out.push(a.address);
  }
  return out;
}

@Injectable()
export class AliasService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  get(id: string): Promise<AliasEntity> {
    return this.scoped.aliases().get(id);
  }

  list(args: AliasesArgs): Promise<Page<AliasEntity>> {
    return this.scoped.aliases().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.domainId != null) qb.andWhere(`${a}.domainId = :domainId`, { domainId: uuidOrNone(args.domainId) });
        if (args.sourceContains) qb.andWhere(`${a}.source ILIKE :source`, { source: containsPattern(args.sourceContains.trim().toLowerCase()) });
        if (args.catchAll != null) qb.andWhere(`${a}.source ${args.catchAll ? '' : 'NOT '}LIKE '@%'`);
      },
      sortSpec(SORTABLE, args.orderBy, { field: AliasOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  async create(input: CreateAliasInput): Promise<AliasEntity> {
    const parsed = parseAliasSource(input.source);
    if (!parsed) throw validation('Invalid source: expected local@domain or @domain', { field: 'source' });
    const destinations = parseDestinations(input.destinations, parsed.source);
    return this.dataSource.transaction(async (m) => {
      // The domain must be one of the caller's: another tenant's domain reads as not found.
      const domain = await this.scoped.domains(m).query().andWhere('domain.name = :name', { name: parsed.domain }).getOne();
      if (!domain) throw notFound('Domain');
      const tenant = await this.scoped.tenants(m).getForUpdate(domain.tenantId);
      const plan = await m.findOneByOrFail(PlanEntity, { id: tenant.planId });
      if ((await m.existsBy(AliasEntity, { source: parsed.source })) || (await m.existsBy(MailboxEntity, { address: parsed.source }))) {
        throw conflict('Address already in use', { field: 'source' });
      }
      const current = await m.countBy(AliasEntity, { tenantId: tenant.id });
      if (current >= plan.maxAliases) throw limitExceeded('maxAliases', plan.maxAliases, { current }, `The plan allows ${plan.maxAliases} aliases`);
      const alias = await uniqueOrConflict(
        m.save(m.create(AliasEntity, { tenantId: tenant.id, domainId: domain.id, source: parsed.source, destinations, enabled: input.enabled ?? true })),
        'Address already in use',
        { field: 'source' },
      );
      await this.audit.record(m, { action: 'alias.create', targetType: 'alias', targetId: alias.id, tenantId: tenant.id, after: aliasAuditView(alias) });
      return alias;
    });
  }

  async update(id: string, input: UpdateAliasInput): Promise<AliasEntity> {
    return this.dataSource.transaction(async (m) => {
      const alias = await this.scoped.aliases(m).getForUpdate(id);
      const before = aliasAuditView(alias);
      if (input.destinations != null) alias.destinations = parseDestinations(input.destinations, alias.source);
      if (input.enabled != null) alias.enabled = input.enabled;
      const saved = await m.save(alias);
      await this.audit.record(m, { action: 'alias.update', targetType: 'alias', targetId: alias.id, tenantId: alias.tenantId, before, after: aliasAuditView(saved) });
      return saved;
    });
  }

  async delete(id: string): Promise<AliasEntity> {
    return this.dataSource.transaction(async (m) => {
      const alias = await this.scoped.aliases(m).getForUpdate(id);
      await m.delete(AliasEntity, { id: alias.id });
      await this.audit.record(m, { action: 'alias.delete', targetType: 'alias', targetId: alias.id, tenantId: alias.tenantId, before: aliasAuditView(alias) });
      return alias;
    });
  }
}

