import { Args, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { currentActor } from '../auth/request-context.js';
import { toConnection } from '../common/connection.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditEntry, AuditEntryConnection, AuditLogArgs, toAuditEntry } from './audit.type.js';

@Resolver(() => AuditEntry)
export class AuditLogResolver {
  constructor(private readonly service: AuditLogService) {}

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => AuditEntryConnection, {
    description: "Platform admins see everything; tenant admins their tenant's entries; mailbox owners what was done to their own mailbox.",
  })
  async auditLog(@Args() args: AuditLogArgs): Promise<AuditEntryConnection> {
    const viewer = currentActor();
    return toConnection(await this.service.list(args), (e) => toAuditEntry(e, viewer));
  }
}
