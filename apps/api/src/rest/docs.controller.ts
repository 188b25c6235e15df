import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/allow.decorator.js';
import { DOCS_HTML } from './docs-page.js';
import { openApiDocument } from './openapi.js';

/** The OpenAPI document and a browsable page for it (self-contained: no CDN, no external script). */
@Public()
@Controller('api')
export class DocsController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
  docs(): string {
    return DOCS_HTML;
  }
}
