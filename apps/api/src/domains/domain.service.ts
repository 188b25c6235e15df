import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { conflict, normalizeDomain, validation } from '@darwin/core';
import { DomainEntity, PlanEntity, type DataSource, type EntityManager } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { limitExceeded } from '../common/limits.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { CONFIG, DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, requireText, uuidOrNone } from '../common/validate.js';
import { emitEvent } from '../events/emit-event.js';
import { deleteMailboxesWithMail } from '../mailboxes/mail-removal.js';
import { defaultSelector, generateDkimKey, importDkimKey, normalizeSelector, type DkimKeyPair } from './dkim/dkim-key.js';
import { DnsChecker } from './dns/dns-checker.js';
import { expectedRecords, type ExpectedRecord } from './dns/expected-records.js';
import type { CreateDomainInput } from './dto/create-domain.input.js';
import { DomainOrderField, type DeleteDomainInput, type ImportDkimKeyInput } from './dto/domain.inputs.js';
import type { DomainsArgs } from './dto/domains.args.js';
import { domainAuditView, isDnsVerified, type DomainDeletion } from './domain.type.js';

/** The domains.name column; normalizeDomain allows 255, DNS names stop at 253. */
export const MAX_DOMAIN_NAME = 253;
export const MAX_REASON = 500;

const SORTABLE: SortableFields<DomainOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  NAME: { property: 'name', kind: 'text' },
};

@Injectable()
export class DomainService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: Config,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
    private readonly dns: DnsChecker,
  ) {}

  get(id: string): Promise<DomainEntity> {
    return this.scoped.domains().get(id);
  }

  list(args: DomainsArgs): Promise<Page<DomainEntity>> {
    return this.scoped.domains().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.status) qb.andWhere(`${a}.status = :status`, { status: args.status });
        if (args.nameContains) qb.andWhere(`${a}.name ILIKE :name`, { name: containsPattern(normalizeDomain(args.nameContains) ?? args.nameContains.toLowerCase()) });
      },
      sortSpec(SORTABLE, args.orderBy, { field: DomainOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  /** The records the domain needs, with exact values (the engine's host name from DARWIN_HOSTNAME). */
  records(domain: { name: string; dkimSelector: string | null; dkimPublicKey: string | null }): ExpectedRecord[] {
    const dkim = domain.dkimSelector && domain.dkimPublicKey ? { selector: domain.dkimSelector, publicKeyPem: domain.dkimPublicKey } : null;
    return expectedRecords({ domain: domain.name, hostname: this.config.hostname, dkim });
  }

  /** Creates the domain with a fresh DKIM key (RSA 2048), so its DNS records are complete at once. */
  async create(input: CreateDomainInput): Promise<DomainEntity> {
    const name = normalizeDomain(input.name);
    if (!name || name.length > MAX_DOMAIN_NAME) throw validation('Invalid domain name', { field: 'name' });
    // Access and the obvious conflict first, before the (tens of milliseconds of) key generation.
    await this.scoped.tenants().get(input.tenantId);
    if (await this.dataSource.manager.existsBy(DomainEntity, { name })) throw conflict('Domain already exists', { field: 'name' });
    const key = await generateDkimKey();

    return this.dataSource.transaction(async (m) => {
      // Another tenant's id reads as NOT_FOUND. The row lock orders concurrent creations for one
      // tenant, so two requests cannot both pass the limit check below.
      const tenant = await this.scoped.tenants(m).getForUpdate(input.tenantId);
      const plan = await m.findOneByOrFail(PlanEntity, { id: tenant.planId });

      if (await m.existsBy(DomainEntity, { name })) throw conflict('Domain already exists', { field: 'name' });
      const current = await m.countBy(DomainEntity, { tenantId: tenant.id });
      if (current >= plan.maxDomains) throw limitExceeded('maxDomains', plan.maxDomains, { current }, `The plan allows ${plan.maxDomains} domains`);

      const domain = await uniqueOrConflict(
        m.save(
          m.create(DomainEntity, {
            tenantId: tenant.id,
            name,
            status: 'active',
            dkimSelector: defaultSelector(new Date(), null),
            dkimPrivateKey: key.privateKeyPem,
            dkimPublicKey: key.publicKeyPem,
          }),
        ),
        'Domain already exists',
        { field: 'name' },
      );
      await this.audit.record(m, { action: 'domain.create', targetType: 'domain', targetId: domain.id, tenantId: tenant.id, after: domainAuditView(domain) });
      return domain;
    });
  }

  async suspend(id: string, reason: string): Promise<DomainEntity> {
    const why = requireText(reason, 'reason', MAX_REASON);
    return this.change(id, 'domain.suspend', (d) => {
      d.status = 'suspended';
      d.suspensionReason = why;
    });
  }

  async unsuspend(id: string): Promise<DomainEntity> {
    return this.change(id, 'domain.unsuspend', (d) => {
      d.status = 'active';
      d.suspensionReason = null;
    });
  }

  /**
   * Deletes the domain, its mailboxes with all their stored mail (blob references given back) and
   * its aliases. Queued outbound mail from those mailboxes is still delivered.
   */
  async delete(input: DeleteDomainInput): Promise<DomainDeletion> {
    return this.dataSource.transaction(async (m) => {
      const domain = await this.scoped.domains(m).getForUpdate(input.id);
      await this.scoped.tenants(m).getForUpdate(domain.tenantId);
      if (normalizeDomain(input.confirmName) !== domain.name) throw validation("confirmName must be the domain's name", { field: 'confirmName' });
      const [{ aliases }] = await m.query(`SELECT count(*)::int AS aliases FROM aliases WHERE domain_id = $1`, [domain.id]);
      const removed = await deleteMailboxesWithMail(m, 'm.domain_id = $1', [domain.id]);
      await m.delete(DomainEntity, { id: domain.id });
      const result: DomainDeletion = {
        domainId: domain.id,
        mailboxesDeleted: removed.mailboxes,
        aliasesDeleted: aliases,
        messagesDeleted: removed.messages,
        bytesDeleted: removed.bytes,
      };
      await this.audit.record(m, { action: 'domain.delete', targetType: 'domain', targetId: domain.id, tenantId: domain.tenantId, before: domainAuditView(domain), after: { ...result } });
      return result;
    });
  }

  /** A first key for a domain that has none (CONFLICT when it has one: rotate instead). */
  async generateDkim(id: string, selector?: string | null): Promise<DomainEntity> {
    const chosen = selector == null ? null : normalizeSelector(selector);
    await this.get(id);
    const key = await generateDkimKey();
    return this.setKey(id, 'domain.dkim_generate', key, chosen, (d) => {
      if (d.dkimPrivateKey) throw conflict('The domain has a DKIM key; rotate it instead');
    });
  }

  /**
   * A new key under a new selector. The old selector's record can be removed from DNS once mail
   * signed with it has been delivered (a few days).
   */
  async rotateDkim(id: string, selector?: string | null): Promise<DomainEntity> {
    const chosen = selector == null ? null : normalizeSelector(selector);
    await this.get(id);
    const key = await generateDkimKey();
    return this.setKey(id, 'domain.dkim_rotate', key, chosen, (d) => {
      if (chosen && chosen === d.dkimSelector) throw validation('A rotation needs a new selector', { field: 'selector' });
    });
  }

  async importDkim(input: ImportDkimKeyInput): Promise<DomainEntity> {
    const selector = normalizeSelector(input.selector);
    const key = importDkimKey(input.privateKeyPem);
    return this.setKey(input.domainId, 'domain.dkim_import', key, selector, () => {});
  }

  /**
   * Resolves every record the domain needs and stores status, what was found and the time, per
   * record. When the domain becomes verified (all required records right), emits domain.verified.
   */
  async verify(id: string): Promise<DomainEntity> {
    const domain = await this.get(id);
    const results = await this.dns.checkAll(this.records(domain), this.config.hostname);
    return this.dataSource.transaction(async (m) => {
      const d = await this.scoped.domains(m).getForUpdate(id);
      const wasVerified = isDnsVerified(d.dnsStatus ?? {});
      d.dnsStatus = results as Record<string, unknown>;
      d.dnsCheckedAt = new Date();
      const saved = await m.save(d);
      const verified = isDnsVerified(results);
      const summary = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r!.status]));
      await this.audit.record(m, { action: 'domain.verify', targetType: 'domain', targetId: d.id, tenantId: d.tenantId, after: { verified, records: summary } });
      if (verified && !wasVerified) await emitEvent(m, { type: 'domain.verified', tenantId: d.tenantId, domainId: d.id, domain: d.name });
      return saved;
    });
  }

  private setKey(id: string, action: string, key: DkimKeyPair, selector: string | null, check: (d: DomainEntity) => void): Promise<DomainEntity> {
    return this.change(id, action, (d) => {
      check(d);
      d.dkimSelector = selector ?? defaultSelector(new Date(), d.dkimSelector);
      d.dkimPrivateKey = key.privateKeyPem;
      d.dkimPublicKey = key.publicKeyPem;
      // The DKIM record changed: its last check no longer says anything.
      const { DKIM: _old, ...rest } = (d.dnsStatus ?? {}) as Record<string, unknown>;
      d.dnsStatus = rest;
    });
  }

  private change(id: string, action: string, apply: (d: DomainEntity, m: EntityManager) => void): Promise<DomainEntity> {
    return this.dataSource.transaction(async (m) => {
      const d = await this.scoped.domains(m).getForUpdate(id);
      const before = domainAuditView(d);
      apply(d, m);
      const saved = await m.save(d);
      await this.audit.record(m, { action, targetType: 'domain', targetId: d.id, tenantId: d.tenantId, before, after: domainAuditView(saved) });
      return saved;
    });
  }
}
