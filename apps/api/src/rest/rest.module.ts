import { Module } from '@nestjs/common';
import { DomainModule } from '../domains/domain.module.js';
import { MailboxModule } from '../mailboxes/mailbox.module.js';
import { PlanModule } from '../plans/plan.module.js';
import { TenantModule } from '../tenants/tenant.module.js';
import { DocsController } from './docs.controller.js';
import { DomainsController } from './domains.controller.js';
import { MailboxesController } from './mailboxes.controller.js';
import { TenantsController } from './tenants.controller.js';

/** REST /api/v1 over the services GraphQL uses, and the OpenAPI document (/api/openapi.json, /api/docs). */
@Module({
  imports: [TenantModule, PlanModule, DomainModule, MailboxModule],
  controllers: [TenantsController, DomainsController, MailboxesController, DocsController],
})
export class RestModule {}
