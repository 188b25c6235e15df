import { Injectable } from '@nestjs/common';
import type { AuditLogEntity } from '@darwin/db';
import type { Page } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { uuidOrNone } from '../common/validate.js';
import type { AuditLogArgs } from './audit.type.js';

/** Reads only: the log is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
@Injectable()
export class AuditLogService {
  constructor(private readonly scoped: ScopedRepositories) {}

  list(args: AuditLogArgs): Promise<Page<AuditLogEntity>> {
    return this.scoped.auditLog().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.actorId != null) qb.andWhere(`${a}.actorId = :actorId`, { actorId: args.actorId });
        if (args.action) {
          if (args.action.endsWith('.')) qb.andWhere(`${a}.action LIKE :action`, { action: `${args.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
          else qb.andWhere(`${a}.action = :action`, { action: args.action });
        }
        if (args.targetType != null) qb.andWhere(`${a}.targetType = :targetType`, { targetType: args.targetType });
        if (args.targetId != null) qb.andWhere(`${a}.targetId = :targetId`, { targetId: args.targetId });
        if (args.impersonationId != null) qb.andWhere(`${a}.impersonationId = :impersonationId`, { impersonationId: uuidOrNone(args.impersonationId) });
        if (args.since) qb.andWhere(`${a}.createdAt >= :since`, { since: args.since });
        if (args.until) qb.andWhere(`${a}.createdAt < :until`, { until: args.until });
      },
      { property: 'createdAt', kind: 'time', direction: args.oldestFirst ? 'ASC' : 'DESC' },
    );
  }
}
