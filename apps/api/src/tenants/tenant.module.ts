import { Module } from '@nestjs/common';
import { TenantResolver } from './tenant.resolver.js';
import { TenantService } from './tenant.service.js';

@Module({ providers: [TenantService, TenantResolver] })
export class TenantModule {}
