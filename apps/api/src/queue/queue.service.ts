import { Inject, Injectable } from '@nestjs/common';
import { conflict, normalizeDomain } from '@darwin/core';
import { OutboundQueueEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { deleteUnreferencedBlobs, releaseBlobReferences } from '../common/blobs.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, uuidOrNone } from '../common/validate.js';
import { emitEvent } from '../events/emit-event.js';
import { queueAuditView, QueueOrderField, type QueueArgs } from './queue.type.js';

const SORTABLE: SortableFields<QueueOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  NEXT_ATTEMPT_AT: { property: 'nextAttemptAt', kind: 'time' },
};

/** States a worker may still pick up: the only ones "retry now" and "delete" act on. */
const WAITING = ['queued', 'deferred'];

/**
 * The outbound queue as the control plane sees it. The engine's workers claim rows in state queued
 * or deferred whose next_attempt_at has come (FOR UPDATE SKIP LOCKED), so "retry now" is moving
 * next_attempt_at to now, and "delete" is state cancelled plus giving back the row's blob reference
 * (blob_id NULL, the blob deleted when nothing else holds it, as libs/mail-store's expunge does).
 * Rows a worker holds (sending) are left alone: CONFLICT.
 */
@Injectable()
export class QueueService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  list(args: QueueArgs): Promise<Page<OutboundQueueEntity>> {
    return this.scoped.outboundQueue().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.mailboxId != null) qb.andWhere(`${a}.mailboxId = :mailboxId`, { mailboxId: uuidOrNone(args.mailboxId) });
        if (args.states && args.states.length > 0) qb.andWhere(`${a}.state IN (:...states)`, { states: args.states });
        if (args.rcptDomain) qb.andWhere(`${a}.rcptDomain = :rcptDomain`, { rcptDomain: normalizeDomain(args.rcptDomain) ?? args.rcptDomain.toLowerCase() });
        if (args.addressContains) {
          qb.andWhere(`(${a}.rcptTo ILIKE :addr OR ${a}.mailFrom ILIKE :addr)`, { addr: containsPattern(args.addressContains.trim().toLowerCase()) });
        }
      },
      sortSpec(SORTABLE, args.orderBy, { field: QueueOrderField.CREATED_AT, direction: 'DESC' }),
    );
  }

  get(id: string): Promise<OutboundQueueEntity> {
    return this.scoped.outboundQueue().get(id);
  }

  async retryNow(id: string): Promise<OutboundQueueEntity> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.scoped.outboundQueue(m).getForUpdate(id);
      if (!WAITING.includes(row.state)) throw conflict(`A ${row.state} message cannot be retried`, { state: row.state });
      const before = queueAuditView(row);
      await m.query(`UPDATE outbound_queue SET next_attempt_at = now(), updated_at = now() WHERE id = $1`, [row.id]);
      const saved = await m.findOneByOrFail(OutboundQueueEntity, { id: row.id });
      await this.audit.record(m, { action: 'queue.retry', targetType: 'outbound_queue', targetId: row.id, tenantId: row.tenantId, before, after: queueAuditView(saved) });
      await emitEvent(m, { type: 'queue.changed', tenantId: row.tenantId, queueId: row.id, state: saved.state, mailboxId: row.mailboxId });
      return saved;
    });
  }

  async cancel(id: string): Promise<OutboundQueueEntity> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.scoped.outboundQueue(m).getForUpdate(id);
      if (!WAITING.includes(row.state)) throw conflict(`A ${row.state} message cannot be deleted`, { state: row.state });
      const before = queueAuditView(row);
      // A final row gives back its blob reference and forgets the blob (as the engine's worker does).
      await releaseBlobReferences(m, `SELECT blob_id FROM outbound_queue WHERE id = $1 AND blob_id IS NOT NULL`, [row.id]);
      await m.query(`UPDATE outbound_queue SET state = 'cancelled', blob_id = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`, [row.id]);
      if (row.blobId) await deleteUnreferencedBlobs(m, [row.blobId]);
      const saved = await m.findOneByOrFail(OutboundQueueEntity, { id: row.id });
      await this.audit.record(m, { action: 'queue.delete', targetType: 'outbound_queue', targetId: row.id, tenantId: row.tenantId, before, after: queueAuditView(saved) });
      await emitEvent(m, { type: 'queue.changed', tenantId: row.tenantId, queueId: row.id, state: 'cancelled', mailboxId: row.mailboxId });
      return saved;
    });
  }
}
