import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { validation } from '@darwin/core';
import { Allow } from '../auth/allow.decorator.js';
import { PlanService } from '../plans/plan.service.js';
import { TenantService } from '../tenants/tenant.service.js';
import { TenantStatusValue } from '../tenants/tenant.type.js';
import { UsageService } from '../usage/usage.service.js';
import { restPlan, restTenant } from './representations.js';
import { optionalQuery, pageQuery, parseBody, requiredQuery, toRestPage, type QueryValues } from './rest-request.js';

/** REST for billing and provisioning: the tenant lifecycle, on the same services as GraphQL. */
@Controller('api/v1')
export class TenantsController {
  constructor(
    private readonly tenants: TenantService,
    private readonly plans: PlanService,
    private readonly usage: UsageService,
  ) {}

  @Allow('platform_admin', 'tenant_admin')
  @Get('plans')
  async listPlans(@Query() q: QueryValues) {
    return toRestPage(await this.plans.list(pageQuery(q)), restPlan);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Get('tenants')
  async list(@Query() q: QueryValues) {
    const status = optionalQuery(q, 'status');
    if (status !== undefined && status !== 'active' && status !== 'suspended') throw validation('status must be active or suspended', { field: 'status' });
    const page = await this.tenants.list({ ...pageQuery(q), externalId: optionalQuery(q, 'externalId') ?? null, status: (status as TenantStatusValue | undefined) ?? null });
    return toRestPage(page, restTenant);
  }

  @Allow('platform_admin')
  @Post('tenants')
  async create(@Body() body: unknown) {
    return restTenant(await this.tenants.create(parseBody('CreateTenantRequest', body)));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Get('tenants/:id')
  async get(@Param('id') id: string) {
    return restTenant(await this.tenants.get(id));
  }

  @Allow('platform_admin')
  @Patch('tenants/:id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody<{ name?: string; externalId?: string | null }>('UpdateTenantRequest', body);
    return restTenant(await this.tenants.update(id, { name: input.name ?? null, externalId: input.externalId === null ? '' : (input.externalId ?? null) }));
  }

  @Allow('platform_admin')
  @Post('tenants/:id/suspend')
  @HttpCode(200)
  async suspend(@Param('id') id: string, @Body() body: unknown) {
    return restTenant(await this.tenants.suspend(id, parseBody<{ reason: string }>('SuspendRequest', body).reason));
  }

  @Allow('platform_admin')
  @Post('tenants/:id/unsuspend')
  @HttpCode(200)
  async unsuspend(@Param('id') id: string) {
    return restTenant(await this.tenants.unsuspend(id));
  }

  @Allow('platform_admin')
  @Put('tenants/:id/plan')
  async changePlan(@Param('id') id: string, @Body() body: unknown) {
    return restTenant(await this.tenants.changePlan(id, parseBody<{ planId: string }>('ChangePlanRequest', body).planId));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Get('tenants/:id/usage')
  usageOf(@Param('id') id: string) {
    return this.usage.tenantUsage(id);
  }

  @Allow('platform_admin')
  @Delete('tenants/:id')
  terminate(@Param('id') id: string, @Query() q: QueryValues) {
    return this.tenants.delete({ id, confirmName: requiredQuery(q, 'confirm') });
  }
}
