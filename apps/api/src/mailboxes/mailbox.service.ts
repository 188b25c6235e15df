import { Inject, Injectable } from '@nestjs/common';
import { conflict, forbidden, hashPassword, MAX_ADDRESS, normalizeLocalPart, parseAddress, passwordProblem, validation } from '@darwin/core';
import { AliasEntity, createDefaultFolders, MailboxEntity, PlanEntity, type DataSource, type EntityManager } from '@darwin/db';
import { currentActor } from '../auth/request-context.js';
import { RefreshTokens } from '../auth/refresh-tokens.js';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { limitExceeded } from '../common/limits.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, optionalMultilineText, optionalText, requireByteCount, requireInt, uuidOrNone } from '../common/validate.js';
import { MAX_RATE } from '../plans/plan-limits.js';
import type { CreateMailboxInput } from './dto/create-mailbox.input.js';
import {
  MailboxOrderField,
  type DeleteMailboxInput,
  type MailboxForwardingInput,
  type MailboxLimitsInput,
  type MailboxSuspensionInput,
  type MailboxVacationInput,
  type UpdateMailboxInput,
} from './dto/mailbox.inputs.js';
import type { MailboxesArgs } from './dto/mailboxes.args.js';
import { deleteMailboxesWithMail } from './mail-removal.js';
import { mailboxAuditView, type MailboxDeletion } from './mailbox.type.js';

export const MAX_DISPLAY_NAME = 200;
export const MAX_REASON = 500;
export const MAX_FORWARDS = 20;
export const MAX_VACATION_SUBJECT = 200;
export const MAX_VACATION_BODY = 10_000;

const SORTABLE: SortableFields<MailboxOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  ADDRESS: { property: 'address', kind: 'text' },
  USED_BYTES: { property: 'usedBytes', kind: 'int' },
};

@Injectable()
export class MailboxService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  get(id: string): Promise<MailboxEntity> {
    return this.scoped.mailboxes().get(id);
  }

  list(args: MailboxesArgs): Promise<Page<MailboxEntity>> {
    return this.scoped.mailboxes().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.domainId != null) qb.andWhere(`${a}.domainId = :domainId`, { domainId: uuidOrNone(args.domainId) });
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.addressContains) qb.andWhere(`${a}.address ILIKE :address`, { address: containsPattern(args.addressContains.trim().toLowerCase()) });
        if (args.suspended != null) {
          const any = `(${a}.loginSuspended OR ${a}.sendSuspended OR ${a}.receiveSuspended)`;
          qb.andWhere(args.suspended ? any : `NOT ${any}`);
        }
        if (args.outboundBlocked != null) qb.andWhere(`${a}.outboundBlockedAt IS ${args.outboundBlocked ? 'NOT ' : ''}NULL`);
      },
      sortSpec(SORTABLE, args.orderBy, { field: MailboxOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  /** The plan the mailbox's tenant is on (for effective limits). */
  async planOf(tenantId: string): Promise<PlanEntity> {
    return this.dataSource.manager
      .createQueryBuilder(PlanEntity, 'p')
      .innerJoin('tenants', 't', 't.plan_id = p.id')
      .where('t.id = :tenantId', { tenantId })
      .getOneOrFail();
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
      await this.checkQuota(m, plan, tenant.id, quotaBytes, 0);

      const address = `${localPart}@${domain.name}`;
      if (Buffer.byteLength(address) > MAX_ADDRESS) throw validation('Address too long', { field: 'localPart', max: MAX_ADDRESS });
      if ((await m.existsBy(MailboxEntity, { address })) || (await m.existsBy(AliasEntity, { source: address }))) {
        throw conflict('Address already in use', { field: 'localPart' });
      }

      const current = await m.countBy(MailboxEntity, { tenantId: tenant.id });
      if (current >= plan.maxMailboxes) throw limitExceeded('maxMailboxes', plan.maxMailboxes, { current }, `The plan allows ${plan.maxMailboxes} mailboxes`);

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

  async update(id: string, input: UpdateMailboxInput): Promise<MailboxEntity> {
    const actor = currentActor();
    if (input.quotaBytes != null && actor.role === 'mailbox_owner') throw forbidden('A mailbox owner cannot change its quota');
    const displayName = input.displayName === undefined || input.displayName === null ? undefined : optionalText(input.displayName, 'displayName', MAX_DISPLAY_NAME);
    const quota = input.quotaBytes == null ? undefined : requireByteCount(input.quotaBytes, 'quotaBytes');
    // A quota change locks the tenant (before the mailbox, the order every writer uses) to
    // serialise the storage check against concurrent creations.
    return this.change(id, 'mailbox.update', { lockTenant: quota !== undefined }, async (m, mb) => {
      if (displayName !== undefined) mb.displayName = displayName;
      if (quota !== undefined && quota !== mb.quotaBytes) {
        const plan = await this.planOf(mb.tenantId);
        await this.checkQuota(m, plan, mb.tenantId, quota, mb.quotaBytes);
        mb.quotaBytes = quota;
      }
    });
  }

  /** An admin sets a new password for the owner; the owner's API sessions end. */
  async resetPassword(id: string, password: string): Promise<MailboxEntity> {
    const problem = passwordProblem(password);
    if (problem) throw validation(`Password ${problem}`, { field: 'password' });
    await this.get(id);
    const passwordHash = await hashPassword(password);
    return this.change(id, 'mailbox.password_reset', async (m, mb) => {
      mb.passwordHash = passwordHash;
      await this.refreshTokens.revokeAllFor(m, { kind: 'mailbox', id: mb.id });
    });
  }

  async setSuspension(id: string, input: MailboxSuspensionInput): Promise<MailboxEntity> {
    const any = input.login || input.send || input.receive;
    const reason = optionalText(input.reason, 'reason', MAX_REASON);
    if (any && !reason) throw validation('A reason is required to suspend', { field: 'reason' });
    return this.change(id, 'mailbox.suspension', async (m, mb) => {
      mb.loginSuspended = input.login;
      mb.sendSuspended = input.send;
      mb.receiveSuspended = input.receive;
      mb.suspensionReason = any ? reason : null;
      if (input.login) await this.refreshTokens.revokeAllFor(m, { kind: 'mailbox', id: mb.id });
    });
  }

  async setForwarding(id: string, input: MailboxForwardingInput): Promise<MailboxEntity> {
    if (input.addresses.length > MAX_FORWARDS) throw validation(`At most ${MAX_FORWARDS} forwarding addresses`, { field: 'addresses', max: MAX_FORWARDS });
    const addresses: string[] = [];
    for (const raw of input.addresses) {
      const parsed = parseAddress(raw);
      if (!parsed) throw validation(`Invalid address: ${raw.slice(0, 100)}`, { field: 'addresses' });
      if (!addresses.includes(parsed.address)) addresses.push(parsed.address);
    }
    return this.change(id, 'mailbox.forwarding', async (_m, mb) => {
      if (addresses.includes(mb.address)) throw validation('A mailbox cannot forward to itself', { field: 'addresses' });
      mb.forwardTo = addresses;
      mb.forwardKeepCopy = input.keepCopy ?? true;
    });
  }

  async setVacation(id: string, input: MailboxVacationInput): Promise<MailboxEntity> {
    const subject = optionalText(input.subject, 'subject', MAX_VACATION_SUBJECT);
    const body = optionalMultilineText(input.body, 'body', MAX_VACATION_BODY);
    if (input.enabled && (!subject || !body)) throw validation('A vacation reply needs a subject and a body', { field: subject ? 'body' : 'subject' });
    const startsAt = input.startsAt ?? null;
    const endsAt = input.endsAt ?? null;
    if (startsAt && endsAt && endsAt <= startsAt) throw validation('endsAt must be after startsAt', { field: 'endsAt' });
    return this.change(id, 'mailbox.vacation', async (_m, mb) => {
      Object.assign(mb, { vacationEnabled: input.enabled, vacationSubject: subject, vacationBody: body, vacationStartsAt: startsAt, vacationEndsAt: endsAt });
    });
  }

  /** Platform admins only (a tenant admin can never raise a limit): every override at once. */
  async setLimits(id: string, input: MailboxLimitsInput): Promise<MailboxEntity> {
    const rate = (v: number | null | undefined, field: string) => (v == null ? null : requireInt(v, field, 0, MAX_RATE));
    const values = {
      sendPerMinute: rate(input.sendPerMinute, 'sendPerMinute'),
      sendPerHour: rate(input.sendPerHour, 'sendPerHour'),
      sendPerDay: rate(input.sendPerDay, 'sendPerDay'),
      imapEnabled: input.imapEnabled ?? null,
      pop3Enabled: input.pop3Enabled ?? null,
    };
    return this.change(id, 'mailbox.limits', async (_m, mb) => {
      Object.assign(mb, values);
    });
  }

  async delete(input: DeleteMailboxInput): Promise<MailboxDeletion> {
    return this.dataSource.transaction(async (m) => {
      const mb = await this.scoped.mailboxes(m).getForUpdate(input.id);
      if (parseAddress(input.confirmAddress)?.address !== mb.address) throw validation("confirmAddress must be the mailbox's address", { field: 'confirmAddress' });
      const removed = await deleteMailboxesWithMail(m, 'm.id = $1', [mb.id]);
      const result: MailboxDeletion = { mailboxId: mb.id, messagesDeleted: removed.messages, bytesDeleted: removed.bytes };
      await this.audit.record(m, { action: 'mailbox.delete', targetType: 'mailbox', targetId: mb.id, tenantId: mb.tenantId, before: mailboxAuditView(mb), after: { ...result } });
      return result;
    });
  }

  /**
   * A quota within the plan: at most its max mailbox quota, and the tenant's quotas together
   * (with this one replacing `previous`) within its storage. LIMIT_EXCEEDED with the numbers.
   * Call with the tenant row locked.
   */
  private async checkQuota(m: EntityManager, plan: PlanEntity, tenantId: string, quota: number, previous: number): Promise<void> {
    if (quota > plan.maxMailboxQuotaBytes) {
      throw limitExceeded('maxMailboxQuotaBytes', plan.maxMailboxQuotaBytes, { requested: quota }, `The plan allows a mailbox quota of at most ${plan.maxMailboxQuotaBytes} bytes`);
    }
    const [{ allocated }] = await m.query(`SELECT coalesce(sum(quota_bytes), 0)::bigint AS allocated FROM mailboxes WHERE tenant_id = $1`, [tenantId]);
    const after = Number(allocated) - previous + quota;
    if (after > plan.storageBytes) {
      throw limitExceeded('storageBytes', plan.storageBytes, { current: Number(allocated), requested: quota }, `The plan's storage (${plan.storageBytes} bytes) is allocated to mailboxes already`);
    }
  }

  private change(
    id: string,
    action: string,
    opts: { lockTenant?: boolean } | ((m: EntityManager, mb: MailboxEntity) => Promise<void>),
    apply?: (m: EntityManager, mb: MailboxEntity) => Promise<void>,
  ): Promise<MailboxEntity> {
    const run = typeof opts === 'function' ? opts : apply!;
    const lockTenant = typeof opts === 'object' && opts.lockTenant === true;
    return this.dataSource.transaction(async (m) => {
      if (lockTenant) await this.scoped.tenants(m).getForUpdate((await this.scoped.mailboxes(m).get(id)).tenantId);
      const mb = await this.scoped.mailboxes(m).getForUpdate(id);
      const before = mailboxAuditView(mb);
      await run(m, mb);
      const saved = await m.save(mb);
      await this.audit.record(m, { action, targetType: 'mailbox', targetId: mb.id, tenantId: mb.tenantId, before, after: mailboxAuditView(saved) });
      return saved;
    });
  }
}
