import { Inject, Injectable } from '@nestjs/common';
import { conflict } from '@darwin/core';
import { MailboxEntity, type AbuseEventEntity, type DataSource } from '@darwin/db';
import { currentActor } from '../auth/request-context.js';
import { AuditService } from '../common/audit.service.js';
import type { Page } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { sqlRows } from '../common/sql.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { uuidOrNone } from '../common/validate.js';
import { emitEvent } from '../events/emit-event.js';
import { mailboxAuditView } from '../mailboxes/mailbox.type.js';
import type { AbuseEventsArgs } from './abuse.type.js';

@Injectable()
export class AbuseService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  list(args: AbuseEventsArgs): Promise<Page<AbuseEventEntity>> {
    return this.scoped.abuseEvents().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.mailboxId != null) qb.andWhere(`${a}.mailboxId = :mailboxId`, { mailboxId: uuidOrNone(args.mailboxId) });
        if (args.kind) qb.andWhere(`${a}.kind = :kind`, { kind: args.kind });
        if (args.open != null) qb.andWhere(`${a}.resolvedAt IS ${args.open ? '' : 'NOT '}NULL`);
      },
      { property: 'createdAt', kind: 'time', direction: args.oldestFirst ? 'ASC' : 'DESC' },
    );
  }

  /**
   * Lifts the burst block the engine put on a mailbox: its held outbound mail goes out again (the
   * queue worker skips only blocked mailboxes), its open abuse events are resolved by the caller.
   */
  async releaseMailbox(id: string): Promise<MailboxEntity> {
    const actor = currentActor();
    return this.dataSource.transaction(async (m) => {
      const mb = await this.scoped.mailboxes(m).getForUpdate(id);
      if (!mb.outboundBlockedAt) throw conflict("The mailbox's outbound mail is not blocked");
      const before = mailboxAuditView(mb);
      mb.outboundBlockedAt = null;
      mb.outboundBlockedReason = null;
      const saved = await m.save(MailboxEntity, mb);
      const resolved = await sqlRows<{ id: string }>(
        m,
        `UPDATE abuse_events SET resolved_at = now(), resolved_by = $2 WHERE mailbox_id = $1 AND resolved_at IS NULL RETURNING id`,
        [mb.id, actor.email.slice(0, 254)],
      );
      await this.audit.record(m, {
        action: 'mailbox.release',
        targetType: 'mailbox',
        targetId: mb.id,
        tenantId: mb.tenantId,
        before,
        after: { ...mailboxAuditView(saved), resolvedAbuseEvents: resolved.map((r) => r.id) },
      });
      await emitEvent(m, { type: 'mailbox.released', tenantId: mb.tenantId, mailboxId: mb.id });
      return saved;
    });
  }
}
