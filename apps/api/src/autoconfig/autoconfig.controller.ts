import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Allow, Public } from '../auth/allow.decorator.js';
import type { HttpResponse } from '../common/http-types.js';
import { AutoconfigService } from './autoconfig.service.js';

const XML = 'application/xml; charset=utf-8';

@Controller()
export class AutoconfigController {
  constructor(private readonly service: AutoconfigService) {}

  @Public()
  @Get(['mail/config-v1.1.xml', '.well-known/autoconfig/mail/config-v1.1.xml'])
  @Header('Content-Type', XML)
  thunderbird(@Query('emailaddress') email: string | undefined, @Headers('host') host: string | undefined): Promise<string> {
    return this.service.thunderbird(typeof email === 'string' ? email : undefined, host);
  }

  @Public()
  @Post(['autodiscover/autodiscover.xml', 'Autodiscover/Autodiscover.xml'])
  @HttpCode(200)
  @Header('Content-Type', XML)
  autodiscover(@Body() body: unknown): Promise<string> {
    return this.service.autodiscover(typeof body === 'string' ? body : '');
  }

  @Public()
  @Get('.well-known/mta-sts.txt')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  mtaSts(@Headers('host') host: string | undefined): Promise<string> {
    return this.service.mtaSts(host);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Get('api/v1/mailboxes/:id/mobileconfig')
  async mobileconfig(@Param('id') id: string, @Res() res: HttpResponse): Promise<void> {
    const { filename, body } = await this.service.mobileconfig(id);
    res.setHeader('Content-Type', 'application/x-apple-aspen-config');
    res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9@._-]/g, '_')}"`);
    res.end(body);
  }
}
