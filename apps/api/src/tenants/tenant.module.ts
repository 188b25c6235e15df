import { Module } from '@nestjs/common';
import { TenantResolver } from './tenant.resolver.js';
import { TenantService } from './tenant.service.js';

@Module({ providers: [TenantService, TenantResolver], exports: [TenantService] })
export class TenantModule {}
