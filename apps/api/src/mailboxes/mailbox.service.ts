import { Inject, Injectable } from '@nestjs/common';
import { conflict, DomainError, hashPassword, MAX_ADDRESS, normalizeLocalPart, passwordProblem, validation } from '@darwin/core';
import { AliasEntity, createDefaultFolders, MailboxEntity, PlanEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import type { Page } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { isUuid, optionalText, requireByteCount } from '../common/validate.js';
import type { CreateMailboxInput } from './dto/create-mailbox.input.js';
import type { MailboxesArgs } from './dto/mailboxes.args.js';
import { mailboxAuditView } from './mailbox.type.js';

export const MAX_DISPLAY_NAME = 200;

@Injectable()
export class MailboxService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  get(id: string): Promise<MailboxEntity> {
    return this.scoped.mailboxes().get(id);
  }

  list(args: MailboxesArgs): Promise<Page<MailboxEntity>> {
    return this.scoped.mailboxes().page(args, (qb) => {
      const id = (v: string) => (isUuid(v) ? v : null);
      if (args.domainId != null) qb.andWhere(`${qb.alias}.domainId = :domainId`, { domainId: id(args.domainId) });
      if (args.tenantId != null) qb.andWhere(`${qb.alias}.tenantId = :tenantId`, { tenantId: id(args.tenantId) });
    });
  }

  /**
   * Creates the mailbox, its standard folders and the audit record in one transaction: either all
   * of them exist afterwards or none.
   */
  async create(input: CreateMailboxInput): Promise<MailboxEntity> {
    const localPart = normalizeLocalPart(input.localPart);
    if (!localPart) throw validation('Invalid local part', { field: 'localPart' });
    const problem = passwordProblem(input.password);
    if (problem) throw validation(`Password ${problem}`, { field: 'password' });
    const displayName = optionalText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
    const requestedQuota = input.quotaBytes == null ? undefined : requireByteCount(input.quotaBytes, 'quotaBytes');

    // Access first (cheap), then the deliberately slow hash, outside the transaction so that the
    // tenant lock below is held for milliseconds, not for the length of an argon2 run.
    await this.scoped.domains().get(input.domainId);
    const passwordHash = await hashPassword(input.password);

    return this.dataSource.transaction(async (m) => {
      const domain = await this.scoped.domains(m).get(input.domainId);
      const tenant = await this.scoped.tenants(m).getForUpdate(domain.tenantId);
      const plan = await m.findOneByOrFail(PlanEntity, { id: tenant.planId });

      const quotaBytes = requestedQuota ?? plan.defaultMailboxQuotaBytes;
      if (quotaBytes > plan.maxMailboxQuotaBytes) {
        throw new DomainError('LIMIT_EXCEEDED', `The plan allows a mailbox quota of at most ${plan.maxMailboxQuotaBytes} bytes`, {
          limit: 'maxMailboxQuotaBytes',
          max: plan.maxMailboxQuotaBytes,
          requested: quotaBytes,
        });
      }

      const address = `${localPart}@${domain.name}`;
      if (Buffer.byteLength(address) > MAX_ADDRESS) throw validation('Address too long', { field: 'localPart', max: MAX_ADDRESS });
      if ((await m.existsBy(MailboxEntity, { address })) || (await m.existsBy(AliasEntity, { source: address }))) {
        throw conflict('Address already in use', { field: 'localPart' });
      }

      const current = await m.countBy(MailboxEntity, { tenantId: tenant.id });
      if (current >= plan.maxMailboxes) {
        throw new DomainError('LIMIT_EXCEEDED', `The plan allows ${plan.maxMailboxes} mailboxes`, { limit: 'maxMailboxes', max: plan.maxMailboxes, current });
      }

      const mailbox = await uniqueOrConflict(
        m.save(
          m.create(MailboxEntity, {
            tenantId: tenant.id,
            domainId: domain.id,
            localPart,
            address,
            passwordHash,
            displayName,
            quotaBytes,
            quotaMessages: null,
            usedBytes: 0,
            usedMessages: 0,
          }),
        ),
        'Address already in use',
        { field: 'localPart' },
      );
      await createDefaultFolders(m, mailbox.id);
      await this.audit.record(m, { action: 'mailbox.create', targetType: 'mailbox', targetId: mailbox.id, tenantId: tenant.id, after: mailboxAuditView(mailbox) });
      return mailbox;
    });
  }
}
