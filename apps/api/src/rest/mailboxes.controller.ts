import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Allow } from '../auth/allow.decorator.js';
import type { MailboxSuspensionInput } from '../mailboxes/dto/mailbox.inputs.js';
import { MailboxService } from '../mailboxes/mailbox.service.js';
import type { CreateMailboxInput } from '../mailboxes/dto/create-mailbox.input.js';
import { restMailbox } from './representations.js';
import { optionalQuery, pageQuery, parseBody, requiredQuery, toRestPage, type QueryValues } from './rest-request.js';

/** REST mailbox lifecycle, on the same service as GraphQL. */
@Allow('platform_admin', 'tenant_admin')
@Controller('api/v1/mailboxes')
export class MailboxesController {
  constructor(private readonly mailboxes: MailboxService) {}

  @Get()
  async list(@Query() q: QueryValues) {
    const page = await this.mailboxes.list({ ...pageQuery(q), domainId: optionalQuery(q, 'domainId') ?? null, tenantId: optionalQuery(q, 'tenantId') ?? null });
    return toRestPage(page, restMailbox);
  }

  @Post()
  async create(@Body() body: unknown) {
    return restMailbox(await this.mailboxes.create(parseBody<CreateMailboxInput>('CreateMailboxRequest', body)));
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return restMailbox(await this.mailboxes.get(id));
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: unknown) {
    const input = parseBody<{ displayName?: string | null; quotaBytes?: number }>('UpdateMailboxRequest', body);
    return restMailbox(await this.mailboxes.update(id, { displayName: input.displayName === null ? '' : (input.displayName ?? null), quotaBytes: input.quotaBytes ?? null }));
  }

  @Put(':id/password')
  async password(@Param('id') id: string, @Body() body: unknown) {
    return restMailbox(await this.mailboxes.resetPassword(id, parseBody<{ password: string }>('PasswordRequest', body).password));
  }

  @Put(':id/suspension')
  async suspension(@Param('id') id: string, @Body() body: unknown) {
    return restMailbox(await this.mailboxes.setSuspension(id, parseBody<MailboxSuspensionInput>('MailboxSuspensionRequest', body)));
  }

  @Delete(':id')
  delete(@Param('id') id: string, @Query() q: QueryValues) {
    return this.mailboxes.delete({ id, confirmAddress: requiredQuery(q, 'confirm') });
  }
}
