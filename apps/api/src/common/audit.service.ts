import { Injectable } from '@nestjs/common';
import { AuditLogEntity, type EntityManager } from '@darwin/db';
import { impersonationOf, type Actor } from '../auth/actor.js';
import { currentActor, requestContext } from '../auth/request-context.js';

export interface AuditEntry {
  /** `<noun>.<verb>`, e.g. `mailbox.create`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly tenantId: string | null;
  /** States without secrets: build them with the feature's audit view, never from a raw entity. */
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
}

/**
 * Writes one audit_log row in the caller's transaction, so the record exists exactly when the
 * change does. Actor, client IP and request id come from the request context. While a platform
 * admin acts as a tenant admin, the actor columns name that platform admin and `impersonation_id`
 * the session (whose start row, `tenant.impersonate`, holds the reason).
 */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, entry: AuditEntry, actor: Actor = currentActor()): Promise<void> {
    const ctx = requestContext();
    await manager.insert(AuditLogEntity, {
      actorType: actor.kind,
      actorId: actor.id,
      actorLabel: actor.email.slice(0, 254),
      tenantId: entry.tenantId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      // jsonb columns; absent means SQL NULL.
      ...(entry.before ? { before: entry.before } : {}),
      ...(entry.after ? { after: entry.after } : {}),
      ip: ctx.ip,
      requestId: ctx.requestId,
      impersonationId: impersonationOf(actor)?.sessionId ?? null,
    });
  }
}
