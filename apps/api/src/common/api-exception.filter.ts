import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Nest's default filter logs every error a resolver throws, expected ones (NOT_FOUND, VALIDATION)
 * included, before passing it on. For GraphQL this filter passes errors on untouched and silently:
 * error-format.ts maps and logs them once. HTTP routes keep Nest's default handling.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
