import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { DomainEntity } from '@darwin/db';
import { Allow } from '../auth/allow.decorator.js';
import { DomainService } from '../domains/domain.service.js';
import { restDomain } from './representations.js';
import { optionalQuery, pageQuery, parseBody, requiredQuery, toRestPage, type QueryValues } from './rest-request.js';

/** REST domain lifecycle, on the same service as GraphQL. */
@Allow('platform_admin', 'tenant_admin')
@Controller('api/v1/domains')
export class DomainsController {
  constructor(private readonly domains: DomainService) {}

  private view = (d: DomainEntity) => restDomain(d, (e) => this.domains.records(e));

  @Get()
  async list(@Query() q: QueryValues) {
    return toRestPage(await this.domains.list({ ...pageQuery(q), tenantId: optionalQuery(q, 'tenantId') ?? null }), this.view);
  }

  @Post()
  async create(@Body() body: unknown) {
    return this.view(await this.domains.create(parseBody('CreateDomainRequest', body)));
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.view(await this.domains.get(id));
  }

  @Post(':id/verify')
  @HttpCode(200)
  async verify(@Param('id') id: string) {
    return this.view(await this.domains.verify(id));
  }

  @Allow('platform_admin')
  @Post(':id/suspend')
  @HttpCode(200)
  async suspend(@Param('id') id: string, @Body() body: unknown) {
    return this.view(await this.domains.suspend(id, parseBody<{ reason: string }>('SuspendRequest', body).reason));
  }

  @Allow('platform_admin')
  @Post(':id/unsuspend')
  @HttpCode(200)
  async unsuspend(@Param('id') id: string) {
    return this.view(await this.domains.unsuspend(id));
  }

  @Delete(':id')
  delete(@Param('id') id: string, @Query() q: QueryValues) {
    return this.domains.delete({ id, confirmName: requiredQuery(q, 'confirm') });
  }
}
